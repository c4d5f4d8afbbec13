package dev.jwo.compliance.consent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
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
 * Signed releases and withdrawals, per pseudonymous subject, kept in journal stream {@value #STREAM} and recorded in
 * the audit chain. Queries are answered from memory (loaded from storage on first use), so the guard can ask per
 * feature vector; a withdrawal takes effect for every query after it returns. Thread-safe.
 */
@Singleton
public final class ConsentLedger {
  public static final String STREAM = "compliance/consents";
  private static final int PAGE = 1_000;

  private final EventJournal journal;
  private final AuditChain audit;
  private @Nullable Map<String, List<Object>> bySubject;

  @Inject
  public ConsentLedger(StoreStorage storage, AuditChain audit) {
    this.journal = storage.journal();
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
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("subject", subject);
    json.put("disclosure_version", disclosure.version());
    json.put("disclosure_sha256", disclosure.sha256());
    json.put("modalities", names(modalities));
    json.put("signature_method", signature.method());
    json.put("signature_sha256", signature.signedDisclosureSha256());
    json.put("signature_attestation", signature.attestation());
    json.put("channel", channel.name());
    json.put("signed_ts", signedTs);
    json.put("valid_until_ts", validUntil);
    journal.append(StreamAppend.atEnd(STREAM, new JournalRecord("consent", Canonical.json(json))));
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
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("subject", subject);
    json.put("modalities", names(which));
    json.put("channel", channel.name());
    json.put("ts", ts);
    journal.append(StreamAppend.atEnd(STREAM, new JournalRecord("withdrawal", Canonical.json(json))));
    events(subject).add(withdrawal);
    audit.append(AuditType.CONSENT_WITHDRAWN, ts, subject,
        Map.of("modalities", String.join(",", names(which)), "channel", channel.wireName()));
    return withdrawal;
  }

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

  private Map<String, List<Object>> loaded() {
    Map<String, List<Object>> map = bySubject;
    if (map == null) {
      map = new HashMap<>();
      for (long from = 0; ; ) {
        List<JournalEntry> page = journal.read(STREAM, from, PAGE);
        for (JournalEntry entry : page) {
          Object event = parse(entry.record());
          String subject = event instanceof Consent c ? c.subject() : ((Withdrawal) event).subject();
          map.computeIfAbsent(subject, s -> new ArrayList<>()).add(event);
        }
        if (page.size() < PAGE) {
          break;
        }
        from += page.size();
      }
      bySubject = map;
    }
    return map;
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
