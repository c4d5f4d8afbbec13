package dev.jwo.compliance.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.keys.AuditKey;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.core.Credential;
import dev.jwo.core.security.Caller;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalConflictException;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.VersionedValue;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The store's audit chain, kept in the journal stream {@value #STREAM} of the {@link StoreStorage}. Each record is
 * stored as its canonical JSON body, a newline and the HMAC-SHA256 of the body under the store's {@link AuditKey};
 * the body holds the record's position and its predecessor's hash, so without the key no one can rewrite the chain
 * and make it verify. The head (count and hash) is also kept in table {@value #HEAD_TABLE}, and every
 * {@value #CHECKPOINT_EVERY} records (and on {@link #checkpoint()}) a keyed checkpoint of the head is written
 * outside the database ({@link AuditCheckpoints}), so that removing records from the end shows too, even with the
 * head deleted. Thread-safe; appends use expected positions, so two writers never fork the chain.
 * A fact already in the chain (same type, time, subject and details) is not appended again, so replaying input
 * after a crash duplicates no record.
 */
@Singleton
public final class AuditChain {
  public static final String STREAM = "compliance/audit";
  public static final String HEAD_TABLE = "compliance_audit_head";
  /** The previous hash of the first record. */
  public static final String GENESIS = "0".repeat(64);
  /** The detail that names who made the call that wrote a record, e.g. {@code compliance-officer/alice}. */
  public static final String CALLER = "caller";
  static final String RECORD_TYPE = "audit";
  private static final int PAGE = 1_000;
  /** How many records apart the chain writes checkpoints of its head. */
  public static final int CHECKPOINT_EVERY = 16;

  private final EventJournal journal;
  private final KeyedTable heads;
  private final Subjects subjects;
  private final AuditKey key;
  private final AuditCheckpoints checkpoints;
  private @Nullable List<AuditRecord> cache;
  /** The facts of {@link #cache}, to recognise one reported again; loaded and kept with it. */
  private final Map<Fact, AuditRecord> facts = new HashMap<>();

  @Inject
  public AuditChain(StoreStorage storage, Subjects subjects, AuditKey key, AuditCheckpoints checkpoints) {
    this.journal = storage.journal();
    this.heads = storage.table(HEAD_TABLE);
    this.subjects = subjects;
    this.key = key;
    this.checkpoints = checkpoints;
  }

  /** The subject ({@link Subjects}) that names the person who presented {@code credential} in this chain. */
  public String subjectOf(Credential credential) {
    return subjects.of(credential);
  }

  /** Appends a record about the person who presented {@code credential}, named by their subject ({@link Subjects}). */
  public AuditRecord append(AuditType type, long ts, Credential credential, Map<String, String> details) {
    return append(type, ts, subjects.of(credential), details);
  }

  /**
   * Appends a record, durably.
   *
   * @param subject the person's subject ({@link Subjects}), or empty for a record about the store
   * @param details what happened; never biometric data or raw credentials. When the record is written while a
   *     gRPC call is served, the detail {@value #CALLER} names the authenticated caller ({@code role/subject}).
   */
  public synchronized AuditRecord append(AuditType type, long ts, String subject, Map<String, String> details) {
    details = withCaller(details);
    List<AuditRecord> records = loaded();
    AuditRecord same = sameFact(type, ts, subject, details);
    if (same != null) {
      return same;
    }
    for (int attempt = 0; ; attempt++) {
      long seq = records.size();
      String previous = records.isEmpty() ? GENESIS : records.get(records.size() - 1).hash();
      byte[] body = body(seq, ts, type, subject, details, previous);
      String hash = key.macHex(body);
      try {
        journal.append(StreamAppend.of(STREAM, seq, new JournalRecord(RECORD_TYPE, payload(body, hash))));
      } catch (JournalConflictException e) {
        if (attempt >= 3) {
          throw e;
        }
        cache = null; // another writer appended: reload and chain after its records
        records = loaded();
        AuditRecord recorded = sameFact(type, ts, subject, details);
        if (recorded != null) {
          return recorded;
        }
        continue;
      }
      AuditRecord record = new AuditRecord(seq, ts, type, subject, details, previous, hash);
      records.add(record);
      facts.put(Fact.of(record), record);
      heads.put("head", ((seq + 1) + ":" + hash).getBytes(StandardCharsets.UTF_8), KeyedTable.ANY_VERSION);
      if ((seq + 1) % CHECKPOINT_EVERY == 0) {
        checkpoints.append(AuditCheckpoint.of(seq + 1, hash, ts, key));
      }
      return record;
    }
  }

  private static Map<String, String> withCaller(Map<String, String> details) {
    Optional<Caller> caller = Caller.current();
    if (caller.isEmpty()) {
      return details;
    }
    Map<String, String> named = new TreeMap<>(details);
    named.put(CALLER, caller.get().identity());
    return named;
  }

  /** Every record, in order, as appended (not re-verified; see {@link #verify()}). */
  public synchronized List<AuditRecord> records() {
    return List.copyOf(loaded());
  }

  /** How many records the chain holds. */
  public synchronized long size() {
    return loaded().size();
  }

  /** The hash of the last record, or {@link #GENESIS}. */
  public synchronized String headHash() {
    List<AuditRecord> records = loaded();
    return records.isEmpty() ? GENESIS : records.get(records.size() - 1).hash();
  }

  /**
   * Writes a checkpoint of the head now, unless the latest one already covers it (e.g. when the store stops).
   *
   * @return the checkpoint written, or empty
   */
  public synchronized Optional<AuditCheckpoint> checkpoint() {
    List<AuditRecord> records = loaded();
    if (records.isEmpty()) {
      return Optional.empty();
    }
    Optional<AuditCheckpoint> latest = checkpoints.latest();
    if (latest.isPresent() && latest.get().count() >= records.size()) {
      return Optional.empty();
    }
    AuditRecord last = records.get(records.size() - 1);
    AuditCheckpoint checkpoint = AuditCheckpoint.of(records.size(), last.hash(), last.ts(), key);
    checkpoints.append(checkpoint);
    return Optional.of(checkpoint);
  }

  /** Verifies the chain as stored now, against the recorded head and the latest checkpoint. */
  public AuditVerification verify() {
    List<JournalEntry> entries = new ArrayList<>();
    for (long from = 0; ; ) {
      List<JournalEntry> page = journal.read(STREAM, from, PAGE);
      entries.addAll(page);
      if (page.size() < PAGE) {
        break;
      }
      from += page.size();
    }
    return verify(entries, head());
  }

  /** Verifies {@code entries} as if stored, against {@code head} and this chain's key and latest checkpoint. */
  public AuditVerification verify(List<JournalEntry> entries, Optional<Head> head) {
    return verify(entries, head, key, checkpoints.latest());
  }

  /**
   * Verifies stored entries of the audit stream: each entry must sit at its recorded position, chain to its
   * predecessor's hash and carry the keyed hash of its content; the chain must reach the recorded head and the
   * latest checkpoint, which must have been made with {@code key}.
   *
   * @param head the recorded head, if any
   * @param checkpoint the latest checkpoint kept outside the database, if any
   */
  public static AuditVerification verify(
      List<JournalEntry> entries, Optional<Head> head, AuditKey key, Optional<AuditCheckpoint> checkpoint) {
    String previous = GENESIS;
    long position = 0;
    for (JournalEntry entry : entries) {
      Optional<String> problem = problemWith(entry, position, previous, key);
      if (problem.isPresent()) {
        return new AuditVerification(false, position + 1, previous, position, problem.get());
      }
      previous = split(entry.record().payload())[1];
      position++;
    }
    if (head.isPresent()) {
      Head h = head.get();
      if (h.count() > position) {
        return new AuditVerification(false, position, previous, position, "the chain ends after " + position
            + " records but " + h.count() + " were recorded: records from position " + position + " were removed");
      }
      if (h.count() > 0 && !hashAt(entries, h.count() - 1).equals(h.hash())) {
        return new AuditVerification(false, position, previous, h.count() - 1,
            "the record at the recorded head does not have the recorded head hash");
      }
    }
    if (checkpoint.isPresent()) {
      AuditCheckpoint c = checkpoint.get();
      if (!c.madeWith(key)) {
        return new AuditVerification(false, position, previous, Math.min(position, c.count() - 1),
            "the latest checkpoint was not made with this store's audit key: it was forged, or belongs to another"
                + " store");
      }
      if (c.count() > position) {
        return new AuditVerification(false, position, previous, position, "the chain ends after " + position
            + " records but the checkpoint of " + c.ts() + " kept outside the database saw " + c.count()
            + ": records from position " + position + " were removed");
      }
      if (!hashAt(entries, c.count() - 1).equals(c.headHash())) {
        return new AuditVerification(false, position, previous, c.count() - 1, "the record at the checkpoint of "
            + c.ts() + " does not have the hash the checkpoint saw: the chain was rewritten");
      }
    }
    return new AuditVerification(true, position, previous, -1, "");
  }

  private static String hashAt(List<JournalEntry> entries, long index) {
    return split(entries.get((int) index).record().payload())[1];
  }

  private static Optional<String> problemWith(JournalEntry entry, long position, String previous, AuditKey key) {
    if (entry.position() != position) {
      return Optional.of("the journal returned position " + entry.position() + " where " + position + " was expected");
    }
    String[] parts = split(entry.record().payload());
    if (parts[1].isEmpty()) {
      return Optional.of("the record is not in the audit format (no hash)");
    }
    if (!key.macHex(parts[0].getBytes(StandardCharsets.UTF_8)).equals(parts[1])) {
      return Optional.of("the record's content does not match its keyed hash: it was changed, or written without"
          + " this store's audit key");
    }
    JsonNode body;
    try {
      body = Canonical.read(parts[0].getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.of("the record is not valid JSON");
    }
    long seq = body.path("seq").asLong(-1);
    if (seq != position) {
      return Optional.of("the record says it is number " + seq + " but sits at position " + position
          + ": records were removed, inserted or reordered");
    }
    if (!Canonical.text(body, "prev", "").equals(previous)) {
      return Optional.of("the record does not chain to the record before it: a record was removed, inserted,"
          + " reordered or changed before it");
    }
    return Optional.empty();
  }

  /** The recorded head, if any record was ever appended. */
  public Optional<Head> head() {
    Optional<VersionedValue> value = heads.get("head");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String text = new String(value.get().value(), StandardCharsets.UTF_8);
    int colon = text.indexOf(':');
    return Optional.of(new Head(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1)));
  }

  /** The recorded head of the chain: how many records, and the last one's hash. */
  public record Head(long count, String hash) {}

  /**
   * The record of the same fact (type, time, subject and details), if the chain holds one: a server that replays
   * its journaled input after a crash reports the facts of the replayed events again, and each must stay recorded
   * once. Facts are timestamped in event time, so distinct facts differ.
   */
  private @Nullable AuditRecord sameFact(AuditType type, long ts, String subject, Map<String, String> details) {
    return facts.get(new Fact(ts, type, subject, Map.copyOf(details)));
  }

  /** What an audit record states, apart from its place in the chain. */
  private record Fact(long ts, AuditType type, String subject, Map<String, String> details) {
    static Fact of(AuditRecord r) {
      return new Fact(r.ts(), r.type(), r.subject(), Map.copyOf(r.details()));
    }
  }

  private List<AuditRecord> loaded() {
    List<AuditRecord> records = cache;
    if (records == null) {
      records = new ArrayList<>();
      for (long from = 0; ; ) {
        List<JournalEntry> page = journal.read(STREAM, from, PAGE);
        for (JournalEntry entry : page) {
          records.add(parse(entry.record().payload()));
        }
        if (page.size() < PAGE) {
          break;
        }
        from += page.size();
      }
      cache = records;
      facts.clear();
      records.forEach(r -> facts.put(Fact.of(r), r));
    }
    return records;
  }

  private static AuditRecord parse(byte[] payload) {
    String[] parts = split(payload);
    JsonNode body = Canonical.read(parts[0].getBytes(StandardCharsets.UTF_8));
    Map<String, String> details = new TreeMap<>();
    for (Map.Entry<String, JsonNode> field : body.path("details").properties()) {
      details.put(field.getKey(), field.getValue().asText());
    }
    return new AuditRecord(body.path("seq").asLong(), body.path("ts").asLong(),
        AuditType.valueOf(Canonical.text(body, "type", "")), Canonical.text(body, "subject", ""), details,
        Canonical.text(body, "prev", ""), parts[1]);
  }

  private static byte[] body(
      long seq, long ts, AuditType type, String subject, Map<String, String> details, String previous) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("seq", seq);
    body.put("ts", ts);
    body.put("type", type.name());
    body.put("subject", subject);
    body.put("details", new TreeMap<>(details));
    body.put("prev", previous);
    return Canonical.json(body);
  }

  private static byte[] payload(byte[] body, String hash) {
    return (new String(body, StandardCharsets.UTF_8) + "\n" + hash).getBytes(StandardCharsets.UTF_8);
  }

  private static String[] split(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8);
    int newline = text.lastIndexOf('\n');
    return newline < 0 ? new String[] {text, ""} : new String[] {text.substring(0, newline), text.substring(newline + 1)};
  }
}
