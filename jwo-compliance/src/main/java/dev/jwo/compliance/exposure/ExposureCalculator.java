package dev.jwo.compliance.exposure;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.policy.Damages;
import dev.jwo.compliance.policy.JurisdictionPolicy;
import dev.jwo.compliance.policy.Policies;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.core.StoreLayout;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prices the store's biometric captures against each applicable law. Captures are read from the audit chain (a
 * {@code CAPTURE} record is the first use per person, method and visit); each is judged afresh against the consent
 * ledger and the published documents at its instant, independently of what the guard said, so a replaced or faulty
 * guard shows up here. Under 740 ILCS 14/20 as amended in 2024, repeated collection from one person by one method is
 * one violation; the other per-violation laws are counted the same way, and Portland's per day.
 */
@Singleton
public final class ExposureCalculator {
  private static final long DAY = 86_400_000L;

  private final AuditChain audit;
  private final ConsentLedger ledger;
  private final DocumentLibrary documents;
  private final PolicySet policies;
  private final StoreLayout layout;

  @Inject
  public ExposureCalculator(
      AuditChain audit, ConsentLedger ledger, DocumentLibrary documents, PolicySet policies, StoreLayout layout) {
    this.audit = audit;
    this.ledger = ledger;
    this.documents = documents;
    this.policies = policies;
    this.layout = layout;
  }

  /** The report as of {@code ts}. */
  public ExposureReport report(long ts) {
    List<AuditRecord> records = audit.records();
    List<ExposureLine> lines = new ArrayList<>();
    for (JurisdictionPolicy policy : policies.policies()) {
      if (!policy.equals(Policies.FAIL_CLOSED)) {
        lines.add(line(policy, records));
      }
    }
    return new ExposureReport(layout.storeId().value(), policies.jurisdiction(), ts, lines);
  }

  private ExposureLine line(JurisdictionPolicy policy, List<AuditRecord> records) {
    Map<String, Boolean> pairs = new LinkedHashMap<>();
    Set<String> dropped = new HashSet<>();
    Set<Long> days = new HashSet<>();
    for (AuditRecord record : records) {
      if (record.type() != AuditType.CAPTURE && record.type() != AuditType.DROP) {
        continue;
      }
      DataCategory category;
      try {
        category = DataCategory.valueOf(record.detail("category").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        continue;
      }
      Modality modality = category.modality();
      if (modality == null || !policy.biometric().contains(category)) {
        continue;
      }
      String person = record.subject().isEmpty() ? "unidentified#" + record.seq() : record.subject();
      String pair = person + "|" + modality;
      if (record.type() == AuditType.DROP) {
        dropped.add(pair);
        continue;
      }
      boolean violation = violates(policy, record, modality);
      if (violation) {
        days.add(Math.floorDiv(record.ts(), DAY));
      }
      pairs.merge(pair, violation, Boolean::logicalOr);
    }
    long without = pairs.values().stream().filter(v -> v).count();
    long with = pairs.size() - without;
    Damages damages = policy.damages();
    long count = damages.unit() == Damages.Unit.PER_DAY ? days.size() : without;
    String note = switch (damages.unit()) {
      case SHARE_OF_TURNOVER -> "not priced per person: " + damages.rule().summary();
      case PER_PERSON_PER_METHOD -> "one violation per person per method";
      case PER_VIOLATION -> "counted as one violation per person per method";
      case PER_DAY -> "one violation per day";
    };
    return new ExposureLine(policy.code(), policy.law(), pairs.size(), with, without, dropped.size(), days.size(),
        count, damages.unit(), count * damages.negligentMinor(), count * damages.intentionalMinor(),
        damages.rule().citation(), note);
  }

  private boolean violates(JurisdictionPolicy policy, AuditRecord capture, Modality modality) {
    if (policy.bannedModalities().containsKey(modality)) {
      return true;
    }
    for (DocumentKind kind : policy.requiredDocuments().keySet()) {
      if (!documents.publishedBy(kind, capture.ts())) {
        return true;
      }
    }
    if (policy.consent() != null) {
      return capture.subject().isEmpty() || ledger.validConsent(capture.subject(), modality, capture.ts()).isEmpty();
    }
    return false;
  }
}
