package dev.jwo.compliance.subject;

import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.consent.Consent;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.consent.Withdrawal;
import dev.jwo.compliance.export.ExportDecision;
import dev.jwo.compliance.export.ExportGuard;
import dev.jwo.compliance.export.ExportRequest;
import dev.jwo.compliance.retention.LegalHold;
import dev.jwo.compliance.retention.RetentionEntry;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.retention.StoragePurge;
import dev.jwo.compliance.retention.TimedRecords;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.DestructionRecord;
import dev.jwo.compliance.vault.TemplateRef;
import dev.jwo.core.storage.StorageException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Answers a person's requests, each recorded in the audit chain. Subjects are named by pseudonym. Thread-safe. */
@Singleton
public final class SubjectRequests {
  static final String DELETION_RULE = "GDPR Art. 17; Cal. Civ. Code 1798.105; 740 ILCS 14/15(a)";
  static final String WITHDRAWAL_RULE = "GDPR Art. 7(3), Art. 17(1)(b); jwo policy R12";

  private final ConsentLedger ledger;
  private final PartyRoster roster;
  private final BiometricVault vault;
  private final RetentionSchedule retention;
  private final AuditChain audit;
  private final ExportGuard exports;
  private final Set<SubjectRecords> sources;
  private final Set<VisitRecords> visitRecords;
  private final Set<TimedRecords> timedRecords;
  private final StoragePurge purge;

  @Inject
  public SubjectRequests(ConsentLedger ledger, PartyRoster roster, BiometricVault vault, RetentionSchedule retention,
      AuditChain audit, ExportGuard exports, Set<SubjectRecords> sources, Set<VisitRecords> visitRecords,
      Set<TimedRecords> timedRecords, StoragePurge purge) {
    this.purge = purge;
    this.ledger = ledger;
    this.roster = roster;
    this.vault = vault;
    this.retention = retention;
    this.audit = audit;
    this.exports = exports;
    this.sources = sources;
    this.visitRecords = visitRecords;
    this.timedRecords = timedRecords;
  }

  /**
   * Everything held about {@code subject}: releases, withdrawals, the parties they joined, biometric templates held
   * (what and until when, not the data: a template is not a copy the person can use, and its value is the very
   * thing the statute protects), legal holds, the audit records about them, and each module's sections
   * ({@link SubjectRecords}: visits and times, purchases and receipts in every version, payments, disputes). The
   * export is checked for every category shown, and recorded.
   */
  public synchronized SubjectAccessReport access(String subject, long ts) {
    requireSubject(subject);
    List<Consent> consents = ledger.consents(subject);
    List<Withdrawal> withdrawals = ledger.withdrawals(subject);
    List<TemplateRef> templates = new ArrayList<>(vault.held(subject));
    for (String shared : roster.sharedSubjectsOf(subject)) {
      templates.addAll(vault.held(shared));
    }
    List<AuditRecord> records = audit.records().stream().filter(r -> r.subject().equals(subject)).toList();
    Set<String> parties = roster.partiesOf(subject);
    Set<String> visits = new java.util.TreeSet<>();
    sources.forEach(s -> visits.addAll(s.visitsOf(subject)));
    List<SubjectSection> sections = sources.stream().flatMap(s -> s.about(subject, Set.copyOf(visits)).stream())
        .sorted(java.util.Comparator.comparing(SubjectSection::title)).toList();
    Set<DataCategory> categories = EnumSet.of(DataCategory.LOCATION_TRACK);
    templates.forEach(t -> categories.add(t.category()));
    sections.forEach(s -> categories.addAll(s.categories()));
    ExportDecision decision = exports.check(new ExportRequest(categories, Purpose.SUBJECT_ACCESS,
        ExportRequest.TO_SUBJECT, subject, null, ts));
    if (!decision.allowed()) {
      throw ComplianceException.refused("access export refused: " + decision.reason());
    }
    StringBuilder md = new StringBuilder();
    md.append("# What we hold about you\n\n");
    md.append("Subject ").append(subject).append(", as of ").append(Instant.ofEpochMilli(ts)).append(".\n\n");
    md.append("## Signed releases\n\n");
    if (consents.isEmpty()) {
      md.append("- None.\n");
    }
    for (Consent c : consents) {
      md.append("- ").append(c.id()).append(": disclosure ").append(c.disclosureVersion()).append(" (sha256 ")
          .append(c.disclosureSha256()).append("), ").append(words(c.modalities())).append(", signed ")
          .append(Instant.ofEpochMilli(c.signedTs())).append(" via ").append(c.channel().wireName()).append(" (")
          .append(c.signature().method()).append("), valid until ").append(Instant.ofEpochMilli(c.validUntilTs()))
          .append(".\n");
    }
    md.append("\n## Withdrawals\n\n");
    if (withdrawals.isEmpty()) {
      md.append("- None.\n");
    }
    for (Withdrawal w : withdrawals) {
      md.append("- ").append(words(w.modalities())).append(", ").append(Instant.ofEpochMilli(w.ts())).append(" via ")
          .append(w.channel().wireName()).append(".\n");
    }
    md.append("\n## Parties you joined\n\n");
    if (parties.isEmpty()) {
      md.append("- None.\n");
    }
    for (String payer : parties) {
      md.append("- The party paid by ").append(payer).append(".\n");
    }
    md.append("\n## Biometric data held\n\n");
    if (templates.isEmpty()) {
      md.append("- None.\n");
    }
    for (TemplateRef t : templates) {
      Optional<RetentionEntry> entry = retention.entry(t.item());
      md.append("- ").append(t.category().wireName()).append(" template ").append(t.item()).append(" from visit ")
          .append(t.visit()).append(", collected ").append(Instant.ofEpochMilli(t.collectedTs()))
          .append(t.subject().equals(subject) ? ", encrypted with your own key"
              : ", encrypted with a key shared by the people of your party on that visit (each held a release;"
                  + " whose face a detection was could not be told)")
          .append(entry.map(e -> ", to be destroyed by " + Instant.ofEpochMilli(e.deadlineTs()) + " (" + e.rule() + ")")
              .orElse(""))
          .append(". The data itself is not exported.\n");
    }
    Optional<LegalHold> hold = retention.hold(subject);
    md.append("\n## Legal holds\n\n");
    md.append(hold.map(h -> "- " + h.order().wireName() + " " + h.reference() + " (" + h.authority() + ")\n")
        .orElse("- None.\n"));
    for (SubjectSection section : sections) {
      md.append("\n## ").append(section.title()).append("\n\n");
      if (section.lines().isEmpty()) {
        md.append("- None.\n");
      }
      section.lines().forEach(line -> md.append("- ").append(line).append('\n'));
    }
    md.append("\n## Audit records about you\n\n");
    if (records.isEmpty()) {
      md.append("- None.\n");
    }
    for (AuditRecord r : records) {
      md.append("- #").append(r.seq()).append(' ').append(r.type().name().toLowerCase(java.util.Locale.ROOT))
          .append(' ').append(Instant.ofEpochMilli(r.ts())).append(' ').append(r.details()).append('\n');
    }
    AuditRecord record = audit.append(AuditType.SUBJECT_ACCESS, ts, subject,
        Map.of("consents", Integer.toString(consents.size()), "templates", Integer.toString(templates.size()),
            "export", decision.auditHash()));
    return new SubjectAccessReport(subject, md.toString(), consents.size(), templates.size(), records.size(),
        record.hash());
  }

  /**
   * The copies of a person's data a deletion does not reach, said exactly: deletion shreds the person's keys in the
   * vault (their own and their party's shared ones) and deletes the records of their visits each module deletes on
   * request ({@link VisitRecords#deleteOnRequest}, {@link TimedRecords#deleteAbout}); not these.
   */
  public static final List<String> NOT_REACHED = List.of(
      "backups of the store's database taken before the deletion: they hold the person's encrypted biometric data and"
          + " their key encrypted with the store's master key",
      "the sensor-input journal: positions and clothing colour (not biometric) until the input retention period ends",
      "cart ledgers (where and when items were taken) and the payment credential (in the payment records, receipts"
          + " and, sealed, the sensor-input journal): kept until the payment is final and the dispute window has"
          + " passed, then deleted or replaced by a keyed pseudonym; receipts' purchases as accounting law requires",
      "a review case or staff check still open: it decides the visit's charge; deleted with the payment records",
      "the consent ledger's record of each release (disclosure, modalities, how and when signed; not the signer's"
          + " attestation) and of withdrawals, and the audit chain: the evidence the law asks for, holding pseudonyms"
          + " and no biometric data",
      "the payer's records of a visit the person shopped on as a companion (the receipt, cart ledger, payment"
          + " and review records): they are the payer's, and name the companion nowhere",
      "the database's write-ahead log and its deleted journal records (party roster records, the release's"
          + " attestation; no key, no biometric data): their bytes until the database overwrites them, which the"
          + " store's operator bounds (deleted keys and vault rows leave PostgreSQL's pages with the request, the"
          + " embedded database's file when the store closes)");

  /**
   * Deletes what is held about {@code subject}: every biometric datum, shredding their key and the shared keys of
   * their party visits, with a destruction record; what links them to a party (their own roster records: a
   * companion's tie to the payer's visits goes with it); the signer's attestation of their releases, withdrawing
   * every modality; and the records of their visits that are deleted on request
   * (resolved staff checks and review cases, incidents, verified ages), each audited ({@code RECORDS_DELETED}) and listed in the
   * proof; then the storage purges the deleted rows' bytes from its files ({@link StoragePurge#purgeNow}, listed when
   * it did something). What it does not reach is {@link #NOT_REACHED}.
   *
   * @throws ComplianceException REFUSED under a legal hold, before anything is deleted
   */
  public synchronized SubjectDeletion delete(String subject, Channel channel, long ts) {
    requireSubject(subject);
    Optional<LegalHold> hold = retention.hold(subject);
    if (hold.isPresent()) {
      throw ComplianceException.refused("the data is under a legal hold (" + hold.get().order().wireName() + " "
          + hold.get().reference() + ", " + hold.get().authority() + ") and cannot be destroyed until the hold is"
          + " released");
    }
    audit.append(AuditType.DELETION_REQUESTED, ts, subject, Map.of("channel", channel.wireName()));
    List<String> destroyed = new ArrayList<>();
    for (DestructionRecord shared : destroyShared(subject, "deletion requested by a person of the party",
        DELETION_RULE, ts)) {
      destroyed.add("biometric vault, the shared key of a party visit (" + shared.subject() + "): " + shared.items()
          + " template(s)" + (shared.keyShredded() ? ", the key shredded" : ""));
    }
    DestructionRecord vaultRecord = vault.destroySubject(subject, "deletion requested by the person", DELETION_RULE,
        ts);
    destroyed.add("biometric vault: " + vaultRecord.items() + " template(s)"
        + (vaultRecord.keyShredded() ? ", the person's key shredded" : ""));
    Set<String> visits = new java.util.TreeSet<>();
    sources.forEach(s -> visits.addAll(s.visitsOf(subject)));
    Set<String> sharedVisits = new java.util.TreeSet<>();
    roster.sharedSubjectsOf(subject).forEach(shared -> sharedVisits.add(
        shared.substring(PartyRoster.SHARED_PREFIX.length())));
    recordDeleted(subject, "party roster (journal stream " + PartyRoster.PERSON_STREAMS + "<person>)",
        "party_membership", roster.forget(subject), sharedVisits, ts, destroyed);
    recordDeleted(subject, "signer's attestation of releases (journal stream " + ConsentLedger.PERSON_STREAMS
        + "<person>; each release's terms and times kept as evidence, every modality withdrawn)", "consent_evidence",
        ledger.erase(subject, channel, ts), Set.of(), ts, destroyed);
    for (VisitRecords records : visitRecords) {
      int deleted = 0;
      for (String visit : visits) {
        deleted += records.deleteOnRequest(visit);
      }
      recordDeleted(subject, records.where(), records.category().wireName(), deleted, visits, ts, destroyed);
    }
    for (TimedRecords records : timedRecords) {
      recordDeleted(subject, records.where(), records.category().wireName(), records.deleteAbout(subject, visits),
          visits, ts, destroyed);
    }
    try {
      String purged = purge.purgeNow();
      if (!purged.isEmpty()) {
        destroyed.add("deleted rows' bytes in the database's files: " + purged);
      }
    } catch (StorageException e) {
      destroyed.add("deleted rows' bytes in the database's files: not yet removed (" + e.getMessage()
          + "); tried again within " + StoragePurge.AT_MOST_EVERY);
    }
    return new SubjectDeletion(vaultRecord, destroyed);
  }

  private void recordDeleted(String subject, String where, String category, int deleted, Set<String> visits,
      long ts, List<String> destroyed) {
    if (deleted == 0) {
      return;
    }
    audit.append(AuditType.RECORDS_DELETED, ts, subject, Map.of(
        "category", category,
        "where", where,
        "records", Integer.toString(deleted),
        "visits", String.join(",", visits),
        "retention", "deletion requested by the person (" + DELETION_RULE + ")"));
    destroyed.add(where + ": " + deleted);
  }

  /**
   * Withdraws consent for {@code modalities} (all when empty): the guard denies capture from the next question on,
   * and what is held is destroyed now unless a legal hold delays it.
   */
  public synchronized WithdrawalReceipt withdraw(String subject, Set<Modality> modalities, Channel channel, long ts) {
    requireSubject(subject);
    Withdrawal withdrawal = ledger.withdraw(subject, modalities, channel, ts);
    Optional<LegalHold> hold = retention.hold(subject);
    if (hold.isPresent()) {
      return new WithdrawalReceipt(withdrawal, Optional.empty(),
          hold.get().order().wireName() + " " + hold.get().reference());
    }
    destroyShared(subject, "consent withdrawn by a person of the party", WITHDRAWAL_RULE, ts);
    DestructionRecord destruction = vault.destroySubject(subject, "consent withdrawn", WITHDRAWAL_RULE, ts);
    purge.destroyed();
    return new WithdrawalReceipt(withdrawal, Optional.of(destruction), "");
  }

  /** Destroys the party keys that may hold the person's data (held ones stay, with their hold). */
  private List<DestructionRecord> destroyShared(String subject, String reason, String rule, long ts) {
    List<DestructionRecord> records = new ArrayList<>();
    for (String shared : roster.sharedSubjectsOf(subject)) {
      if (vault.hasKey(shared) && retention.hold(shared).isEmpty()) {
        records.add(vault.destroySubject(shared, reason, rule, ts));
      }
    }
    return records;
  }

  private static void requireSubject(String subject) {
    if (subject.isBlank()) {
      throw ComplianceException.invalid("the request must name the person (a credential or its pseudonym)");
    }
  }

  private static String words(Set<Modality> modalities) {
    return modalities.stream().map(m -> m.name().toLowerCase(java.util.Locale.ROOT)).sorted()
        .collect(Collectors.joining(", "));
  }
}
