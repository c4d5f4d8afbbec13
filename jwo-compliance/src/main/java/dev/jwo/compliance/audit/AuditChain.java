package dev.jwo.compliance.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jwo.compliance.internal.Canonical;
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
 * stored as its canonical JSON body, a newline and the SHA-256 of the body; the body holds the record's position and
 * its predecessor's hash. The head (count and hash) is also kept in table {@value #HEAD_TABLE}, so that removing
 * records from the end shows too. Thread-safe; appends use expected positions, so two writers never fork the chain.
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

  private final EventJournal journal;
  private final KeyedTable heads;
  private @Nullable List<AuditRecord> cache;
  /** The facts of {@link #cache}, to recognise one reported again; loaded and kept with it. */
  private final Map<Fact, AuditRecord> facts = new HashMap<>();

  @Inject
  public AuditChain(StoreStorage storage) {
    this.journal = storage.journal();
    this.heads = storage.table(HEAD_TABLE);
  }

  /**
   * Appends a record, durably.
   *
   * @param subject the person's pseudonym, or empty for a record about the store
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
      String hash = Canonical.sha256Hex(body);
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

  /** Verifies the chain as stored now, against the recorded head. */
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

  /**
   * Verifies stored entries of the audit stream: each entry must sit at its recorded position, chain to its
   * predecessor's hash and hash to its recorded value; the chain must reach the recorded head.
   *
   * @param head the recorded head, if any
   */
  public static AuditVerification verify(List<JournalEntry> entries, Optional<Head> head) {
    String previous = GENESIS;
    long position = 0;
    for (JournalEntry entry : entries) {
      Optional<String> problem = problemWith(entry, position, previous);
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
    return new AuditVerification(true, position, previous, -1, "");
  }

  private static String hashAt(List<JournalEntry> entries, long index) {
    return split(entries.get((int) index).record().payload())[1];
  }

  private static Optional<String> problemWith(JournalEntry entry, long position, String previous) {
    if (entry.position() != position) {
      return Optional.of("the journal returned position " + entry.position() + " where " + position + " was expected");
    }
    String[] parts = split(entry.record().payload());
    if (parts[1].isEmpty()) {
      return Optional.of("the record is not in the audit format (no hash)");
    }
    if (!Canonical.sha256Hex(parts[0].getBytes(StandardCharsets.UTF_8)).equals(parts[1])) {
      return Optional.of("the record's content does not match its hash: it was changed");
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
