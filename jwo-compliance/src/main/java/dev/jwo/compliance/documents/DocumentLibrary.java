package dev.jwo.compliance.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DisclosureTerms;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.Disclosure;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The store's published documents, kept in journal stream {@value #STREAM}. {@link #publishAll} renders every
 * document from the current configuration and publishes those whose text changed, each as a new version, with a
 * {@code POLICY_PUBLISHED} audit record; it also records the policy set in force. Thread-safe.
 */
@Singleton
public final class DocumentLibrary {
  public static final String STREAM = "compliance/documents";
  private static final int PAGE = 500;

  private final EventJournal journal;
  private final AuditChain audit;
  private final ComplianceSettings settings;
  private final PolicySet policies;
  private final DocumentRenderer renderer;
  private @Nullable List<Stored> cache;
  private boolean policySetRecorded;

  @Inject
  public DocumentLibrary(
      StoreStorage storage, AuditChain audit, ComplianceSettings settings, PolicySet policies, StoreLayout layout) {
    this.journal = storage.journal();
    this.audit = audit;
    this.settings = settings;
    this.policies = policies;
    this.renderer = new DocumentRenderer(layout.storeId().value(), settings, policies);
  }

  /** The renderer behind the documents. */
  public DocumentRenderer renderer() {
    return renderer;
  }

  /**
   * Publishes every document whose current text differs from its last published version; idempotent.
   *
   * @param ts when, in event time (or the clock's time outside the pipeline)
   * @return the documents published now
   * @throws IllegalStateException if a disclosure version was already published with another text: a new text
   *     needs a new version id
   */
  public synchronized List<PublishedDocument> publishAll(long ts) {
    List<PublishedDocument> published = new ArrayList<>();
    recordPolicySet(ts);
    for (DisclosureTerms terms : settings.disclosures()) {
      String markdown = renderer.disclosure(terms);
      String sha = Canonical.sha256Hex(markdown);
      Optional<Stored> existing = stored().stream()
          .filter(s -> s.doc.kind() == DocumentKind.CONSENT_DISCLOSURE && s.doc.version().equals(terms.version()))
          .findFirst();
      if (existing.isPresent()) {
        if (!existing.get().doc.sha256().equals(sha)) {
          throw new IllegalStateException("disclosure " + terms.version() + " was published with another text (sha256 "
              + existing.get().doc.sha256() + "); a changed text needs a new version id, or releases signed against"
              + " the old text would no longer match it");
        }
        continue;
      }
      published.add(append(DocumentKind.CONSENT_DISCLOSURE, terms.version(), markdown, ts, terms));
    }
    for (DocumentKind kind : renderer.kindsToPublish()) {
      String markdown = renderer.render(kind);
      Optional<PublishedDocument> latest = latest(kind);
      if (latest.isPresent() && latest.get().sha256().equals(Canonical.sha256Hex(markdown))) {
        continue;
      }
      int version = latest.map(d -> Integer.parseInt(d.version()) + 1).orElse(1);
      published.add(append(kind, Integer.toString(version), markdown, ts, null));
    }
    return published;
  }

  /** The latest published version of a document kind (for disclosures: the one published last). */
  public synchronized Optional<PublishedDocument> latest(DocumentKind kind) {
    PublishedDocument latest = null;
    for (Stored s : stored()) {
      if (s.doc.kind() == kind) {
        latest = s.doc;
      }
    }
    return Optional.ofNullable(latest);
  }

  /** Every publication, in order. */
  public synchronized List<PublishedDocument> all() {
    return stored().stream().map(s -> s.doc).toList();
  }

  /** Whether a document of {@code kind} had been published at or before {@code ts}. */
  public synchronized boolean publishedBy(DocumentKind kind, long ts) {
    return stored().stream().anyMatch(s -> s.doc.kind() == kind && s.doc.publishedTs() <= ts);
  }

  /** Whether any document of {@code kind} has been published. */
  public synchronized boolean published(DocumentKind kind) {
    return stored().stream().anyMatch(s -> s.doc.kind() == kind);
  }

  /** The published disclosure with this version id. */
  public synchronized Optional<Disclosure> disclosure(String version) {
    return stored().stream().filter(s -> s.disclosure != null && s.doc.version().equals(version))
        .map(s -> s.disclosure).findFirst();
  }

  /** The published disclosure shoppers are asked to sign now: the first configured one. */
  public synchronized Optional<Disclosure> currentDisclosure() {
    return settings.disclosures().isEmpty() ? Optional.empty() : disclosure(settings.disclosures().get(0).version());
  }

  /** The published document of {@code kind} with {@code version}. */
  public synchronized Optional<PublishedDocument> document(DocumentKind kind, String version) {
    return stored().stream().filter(s -> s.doc.kind() == kind && s.doc.version().equals(version))
        .map(s -> s.doc).findFirst();
  }

  private void recordPolicySet(long ts) {
    if (policySetRecorded) {
      return;
    }
    String version = policies.version();
    boolean recorded = false;
    for (AuditRecord record : audit.records()) {
      if (record.type() == AuditType.POLICY_PUBLISHED && record.detail("document").equals("policy_set")
          && record.detail("version").equals(version)) {
        recorded = true;
      }
    }
    if (!recorded) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("document", "policy_set");
      details.put("jurisdiction", policies.jurisdiction());
      details.put("version", version);
      details.put("fails_closed", Boolean.toString(policies.failsClosed()));
      audit.append(AuditType.POLICY_PUBLISHED, ts, "", details);
    }
    policySetRecorded = true;
  }

  private PublishedDocument append(
      DocumentKind kind, String version, String markdown, long ts, @Nullable DisclosureTerms terms) {
    String sha = Canonical.sha256Hex(markdown);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", kind.name());
    json.put("version", version);
    json.put("markdown", markdown);
    json.put("sha256", sha);
    json.put("ts", ts);
    if (terms != null) {
      json.put("modalities", terms.modalities().stream().map(Enum::name).sorted().toList());
      json.put("purpose", terms.purposeText());
      json.put("term_ms", terms.consentValidFor().toMillis());
    }
    journal.append(StreamAppend.atEnd(STREAM, new JournalRecord("document", Canonical.json(json))));
    Stored stored = parse(Canonical.read(Canonical.json(json)));
    stored().add(stored);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("document", kind.wireName());
    details.put("version", version);
    details.put("sha256", sha);
    audit.append(AuditType.POLICY_PUBLISHED, ts, "", details);
    return stored.doc;
  }

  private List<Stored> stored() {
    List<Stored> list = cache;
    if (list == null) {
      list = new ArrayList<>();
      for (long from = 0; ; ) {
        List<JournalEntry> page = journal.read(STREAM, from, PAGE);
        for (JournalEntry entry : page) {
          list.add(parse(Canonical.read(entry.record().payload())));
        }
        if (page.size() < PAGE) {
          break;
        }
        from += page.size();
      }
      cache = list;
    }
    return list;
  }

  private static Stored parse(JsonNode json) {
    DocumentKind kind = DocumentKind.valueOf(Canonical.text(json, "kind", ""));
    String version = Canonical.text(json, "version", "");
    String markdown = Canonical.text(json, "markdown", "");
    String sha = Canonical.text(json, "sha256", "");
    long ts = json.path("ts").asLong();
    String title = markdown.lines().findFirst().orElse(kind.wireName()).replaceFirst("^#+ ", "");
    PublishedDocument doc = new PublishedDocument(kind, version, markdown, MarkdownHtml.page(title, markdown), sha, ts);
    Disclosure disclosure = null;
    if (kind == DocumentKind.CONSENT_DISCLOSURE) {
      Set<Modality> modalities = EnumSet.noneOf(Modality.class);
      json.path("modalities").forEach(m -> modalities.add(Modality.valueOf(m.asText())));
      disclosure = new Disclosure(version, markdown, sha, modalities, Canonical.text(json, "purpose", ""),
          Duration.ofMillis(json.path("term_ms").asLong()), ts);
    }
    return new Stored(doc, disclosure);
  }

  private record Stored(PublishedDocument doc, @Nullable Disclosure disclosure) {}
}
