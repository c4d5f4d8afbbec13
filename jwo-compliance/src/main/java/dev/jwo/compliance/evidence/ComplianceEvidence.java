package dev.jwo.compliance.evidence;

import dev.jwo.compliance.ComplianceSummary;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.audit.AuditVerification;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.documents.PublishedDocument;
import dev.jwo.compliance.exposure.ExposureCalculator;
import dev.jwo.compliance.exposure.ExposureDuty;
import dev.jwo.compliance.exposure.ExposureLine;
import dev.jwo.compliance.exposure.ExposureReport;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.policy.JurisdictionPolicy;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.retention.RetentionEntry;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.visit.EntryConsents;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.Camera;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.StoreLayout;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The store's compliance evidence: {@link #summary()} for people and {@link #writeJson(Path)} for the
 * {@code compliance.json} a replay writes beside its receipts (format in {@code EVIDENCE-FORMAT.md}). Both are
 * computed as of the store's event time and hold no personal data.
 */
@Singleton
public final class ComplianceEvidence {
  /** The format id written into {@code compliance.json}. */
  public static final String FORMAT = "jwo-compliance/1";

  private final StoreLayout layout;
  private final PolicySet policies;
  private final CaptureLog captures;
  private final ConsentLedger ledger;
  private final DocumentLibrary documents;
  private final RetentionSchedule retention;
  private final BiometricVault vault;
  private final AuditChain audit;
  private final ExposureCalculator exposure;
  private final VisitCompliance visits;

  @Inject
  public ComplianceEvidence(
      StoreLayout layout, PolicySet policies, CaptureLog captures, ConsentLedger ledger, DocumentLibrary documents,
      RetentionSchedule retention, BiometricVault vault, AuditChain audit, ExposureCalculator exposure,
      VisitCompliance visits) {
    this.layout = layout;
    this.policies = policies;
    this.captures = captures;
    this.ledger = ledger;
    this.documents = documents;
    this.retention = retention;
    this.vault = vault;
    this.audit = audit;
    this.exposure = exposure;
    this.visits = visits;
  }

  /** The summary as of the store's event time. */
  public ComplianceSummary summary() {
    long now = visits.now();
    Map<String, ComplianceSummary.Features> biometric = new TreeMap<>();
    Map<String, Long> reasons = new TreeMap<>();
    for (Map.Entry<FeatureKind, FeatureCounts> e : captures.counts().entrySet()) {
      if (policies.isBiometric(dev.jwo.compliance.DataCategory.ofCameraFeatures(e.getKey()))) {
        biometric.put(e.getKey().wireName(), new ComplianceSummary.Features(e.getValue().used(), e.getValue().dropped()));
        e.getValue().dropReasons().forEach((reason, n) -> reasons.merge(reason, n, Long::sum));
      }
    }
    ConsentLedger.Counts counts = ledger.counts();
    AuditVerification verification = audit.verify();
    Destructions destructions = destructions(now);
    return new ComplianceSummary(layout.storeId().value(), policies.jurisdiction(), counts.consents(),
        counts.withdrawals(), biometric, reasons, destructions.due, destructions.done, vault.size(),
        verification.recordsChecked(), verification.valid(), verification.headHash(), verification.problem());
  }

  /** The content of {@code compliance.json}, as ordered maps and lists. */
  public Map<String, Object> toJson() {
    long now = visits.now();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("store_id", layout.storeId().value());
    json.put("jurisdiction", policies.jurisdiction());
    json.put("as_of_ts", now);
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("version", policies.version());
    policy.put("fails_closed", policies.failsClosed());
    List<Map<String, Object>> laws = new ArrayList<>();
    for (JurisdictionPolicy p : policies.policies()) {
      laws.add(ordered("code", p.code(), "law", p.law(), "version", p.version()));
    }
    policy.put("laws", laws);
    json.put("policy", policy);

    Map<FeatureKind, FeatureCounts> counts = new EnumMap<>(FeatureKind.class);
    for (Camera camera : layout.cameras()) {
      if (camera.features() != FeatureKind.NONE) {
        counts.put(camera.features(), new FeatureCounts(0, 0, 0, Map.of()));
      }
    }
    counts.putAll(captures.counts());
    Map<String, Object> features = new LinkedHashMap<>();
    counts.forEach((kind, c) -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("biometric", policies.isBiometric(dev.jwo.compliance.DataCategory.ofCameraFeatures(kind)));
      entry.put("received", c.received());
      entry.put("used", c.used());
      entry.put("dropped", c.dropped());
      entry.put("drop_reasons", new TreeMap<>(c.dropReasons()));
      features.put(kind.wireName(), entry);
    });
    json.put("features", features);

    EntryConsents entries = visits.entryConsents();
    ConsentLedger.Counts ledgerCounts = ledger.counts();
    json.put("consents", ordered(
        "entries_naming_a_disclosure", entries.named(),
        "entries_with_a_release", entries.covered(),
        "entries_without_a_release", entries.notSigned(),
        "unknown_disclosure_version", entries.unknownVersion(),
        "releases_in_ledger", ledgerCounts.consents(),
        "withdrawals_in_ledger", ledgerCounts.withdrawals()));

    List<Map<String, Object>> docs = new ArrayList<>();
    for (PublishedDocument doc : documents.all()) {
      docs.add(ordered("kind", doc.kind().wireName(), "version", doc.version(), "sha256", doc.sha256(),
          "published_ts", doc.publishedTs()));
    }
    json.put("documents", docs);

    Destructions destructions = destructions(now);
    json.put("destructions", ordered("due", destructions.due, "done", destructions.done,
        "pending", destructions.due - destructions.done, "templates_held", vault.size()));

    ExposureReport report = exposure.report(now);
    List<Map<String, Object>> lines = new ArrayList<>();
    for (ExposureLine line : report.lines()) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("jurisdiction", line.jurisdiction());
      l.put("captured", line.captured());
      l.put("received", line.received());
      l.put("with_valid_consent", line.withValidConsent());
      l.put("without_valid_consent", line.withoutValidConsent());
      l.put("dropped_at_door", line.droppedAtDoor());
      l.put("violations", line.violations());
      l.put("unit", line.unit().name().toLowerCase(java.util.Locale.ROOT));
      l.put("negligent_minor_usd", line.negligentMinor());
      l.put("intentional_minor_usd", line.intentionalMinor());
      l.put("citation", line.citation());
      List<Map<String, Object>> duties = new ArrayList<>();
      for (ExposureDuty duty : line.duties()) {
        duties.add(ordered("duty", duty.duty(), "citation", duty.citation(), "violations", duty.violations(),
            "negligent_minor_usd", duty.negligentMinor(), "intentional_minor_usd", duty.intentionalMinor(),
            "basis", duty.basis()));
      }
      l.put("duties", duties);
      l.put("total_negligent_minor_usd", line.totalNegligentMinor());
      l.put("total_intentional_minor_usd", line.totalIntentionalMinor());
      lines.add(l);
    }
    json.put("exposure", lines);

    AuditVerification verification = audit.verify();
    Map<String, Long> byType = new TreeMap<>();
    for (AuditRecord record : audit.records()) {
      byType.merge(record.type().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
    }
    json.put("audit_chain", ordered("records", verification.recordsChecked(), "by_type", byType,
        "head_hash", verification.headHash(), "verified", verification.valid(),
        "problem", verification.problem()));
    return json;
  }

  /**
   * Writes {@code compliance.json}.
   *
   * @throws IOException if the file cannot be written
   */
  public Path writeJson(Path file) throws IOException {
    Files.writeString(file, Canonical.pretty(toJson()) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private Destructions destructions(long now) {
    long done = audit.records().stream().filter(r -> r.type() == AuditType.DESTRUCTION).count();
    Set<String> pendingSubjects = new HashSet<>();
    for (RetentionEntry entry : retention.overdue(now)) {
      pendingSubjects.add(entry.subject());
    }
    return new Destructions(done + pendingSubjects.size(), done);
  }

  private record Destructions(long due, long done) {}

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

}
