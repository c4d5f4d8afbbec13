package dev.jwo.compliance.consent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.internal.PersonStreams;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StoreStorage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Signed releases and withdrawals, per pseudonymous subject, kept in the person's own journal stream
 * ({@value #PERSON_STREAMS}{@code <subject>}) and recorded in the audit chain. Queries are answered from memory (loaded from storage on first use), so the guard can ask per
 * feature vector; a withdrawal takes effect for every query after it returns. Thread-safe.
 */
@Singleton
public final class ConsentLedger {
  /** The stream where an earlier release kept everybody's records; moved into the people's streams at start-up. */
  public static final String STREAM = "compliance/consents";
  /** Each person's releases and withdrawals are in the journal stream named this and their pseudonym. */
  public static final String PERSON_STREAMS = "compliance/consents/";

  private final PersonStreams streams;
  private final AuditChain audit;
  private @Nullable Map<String, List<Object>> bySubject;

  @Inject
  public ConsentLedger(StoreStorage storage, AuditChain audit) {
    this.streams = new PersonStreams(storage.journal(), PERSON_STREAMS);
    this.audit = audit;
  }

  /**
   * Records a signed release against a published disclosure; recording the same release again returns the first.
   *
   * @param subject the person's pseudonym (see {@code Credential.pseudonym()})
   * @param signedTs when it was signed: the server's time when the signer's evidence arrived, never a time the
   *     signer's device supplied
   * @throws ComplianceException INVALID if the modalities are empty or not all covered by the disclosure, or the
   *     signature was over another text; REFUSED if {@code signedTs} is before the ledger's latest record (no
   *     backdating)
   */
  public synchronized Consent record(
      String subject, Disclosure disclosure, Set<Modality> modalities, SignatureEvidence signature, Channel channel,
      long signedTs) {
    if (subject.isBlank()) {
      throw ComplianceException.invalid("a consent needs the subject's pseudonym");
    }
    if (modalities.isEmpty()) {
      throw ComplianceException.invalid("a consent must name at least one modality (face, hand, voice, gait)");
    }
    if (!disclosure.modalities().containsAll(modalities)) {
      throw ComplianceException.invalid("disclosure " + disclosure.version() + " covers only "
          + disclosure.modalities() + "; the release asks for " + modalities);
    }
    if (!signature.signedDisclosureSha256().equals(disclosure.sha256())) {
      throw ComplianceException.invalid("the signature was made over another text than disclosure "
          + disclosure.version() + " (sha256 " + disclosure.sha256() + "); show the current text and sign again");
    }
    long latest = latestTs();
    if (signedTs < latest) {
      throw ComplianceException.refused("a release is recorded at the time it is signed: " + signedTs
          + " is before the ledger's latest record (" + latest + "); releases cannot be backdated");
    }
    String id = "consent-" + Canonical.sha256Hex(subject + "|" + disclosure.version() + "|" + signedTs + "|"
        + modalities.stream().map(Enum::name).sorted().collect(Collectors.joining(","))).substring(0, 16);
    for (Object event : events(subject)) {
      if (event instanceof Consent c && c.id().equals(id)) {
        return c;
      }
    }
    long validUntil = signedTs + disclosure.term().toMillis();
    Consent consent = new Consent(id, subject, disclosure.version(), disclosure.sha256(), modalities, signature,
        channel, signedTs, validUntil);
    append(subject, consentRecord(consent));
    events(subject).add(consent);
    Map<String, String> details = new TreeMap<>();
    details.put("consent", id);
    details.put("disclosure_version", disclosure.version());
    details.put("disclosure_sha256", disclosure.sha256());
    details.put("modalities", String.join(",", names(modalities)));
    details.put("channel", channel.wireName());
    details.put("signature_method", signature.method());
    details.put("valid_until_ts", Long.toString(validUntil));
    audit.append(AuditType.CONSENT_RECORDED, signedTs, subject, details);
    return consent;
  }

  /** Records a withdrawal (or opt-out): from {@code ts} on, no capture of those modalities for the subject. */
  public synchronized Withdrawal withdraw(String subject, Set<Modality> modalities, Channel channel, long ts) {
    if (subject.isBlank()) {
      throw ComplianceException.invalid("a withdrawal needs the subject's pseudonym");
    }
    Set<Modality> which = modalities.isEmpty() ? EnumSet.allOf(Modality.class) : modalities;
    Withdrawal withdrawal = new Withdrawal(subject, which, channel, ts);
    append(subject, withdrawalRecord(withdrawal));
    events(subject).add(withdrawal);
    audit.append(AuditType.CONSENT_WITHDRAWN, ts, subject,
        Map.of("modalities", String.join(",", names(which)), "channel", channel.wireName()));
    return withdrawal;
  }

  /**
   * Erases, at the person's deletion request, what the ledger holds of theirs beyond the evidence the law asks
   * for: capture of every modality is withdrawn (so a law that needs no release, only an opt-out, never captures
   * them again), and each release is kept without the signer's attestation (their app or device session): what was
   * signed, which modalities, how and when, as the audit chain also records it, so that collection before the
   * request is still judged against the release that covered it. Their earlier records are discarded.
   *
   * @return how many releases lost their attestation
   */
  public synchronized int erase(String subject, Channel channel, long ts) {
    withdraw(subject, Set.of(), channel, ts);
    List<JournalRecord> kept = new ArrayList<>();
    List<Object> redacted = new ArrayList<>();
    int releases = 0;
    for (Object event : events(subject)) {
      if (event instanceof Consent c) {
        Consent without = new Consent(c.id(), c.subject(), c.disclosureVersion(), c.disclosureSha256(),
            c.modalities(), new SignatureEvidence(c.signature().method(), c.signature().signedDisclosureSha256(),
                ATTESTATION_ERASED), c.channel(), c.signedTs(), c.validUntilTs());
        releases += c.signature().attestation().equals(ATTESTATION_ERASED) ? 0 : 1;
        redacted.add(without);
        kept.add(consentRecord(without));
      } else {
        redacted.add(event);
        kept.add(withdrawalRecord((Withdrawal) event));
      }
    }
    streams.replace(subject, kept);
    events(subject).clear();
    events(subject).addAll(redacted);
    return releases;
  }

  /** What a release's attestation reads once the signer asked for their data to be deleted. */
  public static final String ATTESTATION_ERASED = "erased at the signer's request";

  /**
   * The release that allows capturing {@code modality} from {@code subject} at {@code ts}: signed at or before
   * {@code ts}, still valid, and not withdrawn since.
   */
  public synchronized Optional<Consent> validConsent(String subject, Modality modality, long ts) {
    Consent best = null;
    for (Object event : events(subject)) {
      if (event instanceof Consent c && c.covers(modality, ts) && !withdrawnSince(subject, modality, c.signedTs(), ts)
          && (best == null || c.signedTs() > best.signedTs())) {
        best = c;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether the subject withdrew or opted out of {@code modality} at or before {@code ts}, with no release since. */
  public synchronized boolean optedOut(String subject, Modality modality, long ts) {
    long lastWithdrawal = Long.MIN_VALUE;
    long lastConsent = Long.MIN_VALUE;
    for (Object event : events(subject)) {
      if (event instanceof Withdrawal w && w.modalities().contains(modality) && w.ts() <= ts) {
        lastWithdrawal = Math.max(lastWithdrawal, w.ts());
      } else if (event instanceof Consent c && c.modalities().contains(modality) && c.signedTs() <= ts) {
        lastConsent = Math.max(lastConsent, c.signedTs());
      }
    }
    return lastWithdrawal != Long.MIN_VALUE && lastWithdrawal >= lastConsent;
  }

  /** Every release the subject signed, in the order recorded. */
  public synchronized List<Consent> consents(String subject) {
    return events(subject).stream().filter(Consent.class::isInstance).map(Consent.class::cast).toList();
  }

  /** Every withdrawal of the subject, in the order recorded. */
  public synchronized List<Withdrawal> withdrawals(String subject) {
    return events(subject).stream().filter(Withdrawal.class::isInstance).map(Withdrawal.class::cast).toList();
  }

  /** How many releases and withdrawals are recorded in all. */
  public synchronized Counts counts() {
    long consents = 0;
    long withdrawals = 0;
    for (List<Object> events : loaded().values()) {
      for (Object event : events) {
        if (event instanceof Consent) {
          consents++;
        } else {
          withdrawals++;
        }
      }
    }
    return new Counts(consents, withdrawals, loaded().size());
  }

  /** Totals over the ledger. */
  public record Counts(long consents, long withdrawals, long subjects) {}

  private long latestTs() {
    long latest = Long.MIN_VALUE;
    for (List<Object> events : loaded().values()) {
      for (Object event : events) {
        latest = Math.max(latest, event instanceof Consent c ? c.signedTs() : ((Withdrawal) event).ts());
      }
    }
    return latest;
  }

  private boolean withdrawnSince(String subject, Modality modality, long from, long to) {
    for (Object event : events(subject)) {
      if (event instanceof Withdrawal w && w.modalities().contains(modality) && w.ts() >= from && w.ts() <= to) {
        return true;
      }
    }
    return false;
  }

  private List<Object> events(String subject) {
    return loaded().computeIfAbsent(subject, s -> new ArrayList<>());
  }

  private void append(String subject, JournalRecord record) {
    streams.append(Map.of(subject, List.of(record)));
  }

  private Map<String, List<Object>> loaded() {
    Map<String, List<Object>> map = bySubject;
    if (map == null) {
      streams.migrate(STREAM, record -> Map.of(subjectOf(parse(record)), record));
      map = new HashMap<>();
      for (Map.Entry<String, List<JournalRecord>> person : streams.readAll().entrySet()) {
        List<Object> events = new ArrayList<>();
        person.getValue().forEach(record -> events.add(parse(record)));
        map.put(person.getKey(), events);
      }
      bySubject = map;
    }
    return map;
  }

  private static String subjectOf(Object event) {
    return event instanceof Consent c ? c.subject() : ((Withdrawal) event).subject();
  }

  private static JournalRecord consentRecord(Consent consent) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", consent.id());
    json.put("subject", consent.subject());
    json.put("disclosure_version", consent.disclosureVersion());
    json.put("disclosure_sha256", consent.disclosureSha256());
    json.put("modalities", names(consent.modalities()));
    json.put("signature_method", consent.signature().method());
    json.put("signature_sha256", consent.signature().signedDisclosureSha256());
    json.put("signature_attestation", consent.signature().attestation());
    json.put("channel", consent.channel().name());
    json.put("signed_ts", consent.signedTs());
    json.put("valid_until_ts", consent.validUntilTs());
    return new JournalRecord("consent", Canonical.json(json));
  }

  private static JournalRecord withdrawalRecord(Withdrawal withdrawal) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("subject", withdrawal.subject());
    json.put("modalities", names(withdrawal.modalities()));
    json.put("channel", withdrawal.channel().name());
    json.put("ts", withdrawal.ts());
    return new JournalRecord("withdrawal", Canonical.json(json));
  }

  private static Object parse(JournalRecord record) {
    JsonNode json = Canonical.read(record.payload());
    Set<Modality> modalities = EnumSet.noneOf(Modality.class);
    json.path("modalities").forEach(m -> modalities.add(Modality.valueOf(m.asText())));
    Channel channel = Channel.valueOf(Canonical.text(json, "channel", "APP"));
    String subject = Canonical.text(json, "subject", "");
    if (record.type().equals("withdrawal")) {
      return new Withdrawal(subject, modalities, channel, json.path("ts").asLong());
    }
    return new Consent(Canonical.text(json, "id", ""), subject, Canonical.text(json, "disclosure_version", ""),
        Canonical.text(json, "disclosure_sha256", ""), modalities,
        new SignatureEvidence(Canonical.text(json, "signature_method", "unknown"),
            Canonical.text(json, "signature_sha256", ""), Canonical.text(json, "signature_attestation", "")),
        channel, json.path("signed_ts").asLong(), json.path("valid_until_ts").asLong());
  }

  private static List<String> names(Set<Modality> modalities) {
    return modalities.stream().map(Enum::name).sorted().toList();
  }
}
