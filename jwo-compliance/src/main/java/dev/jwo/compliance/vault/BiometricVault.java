package dev.jwo.compliance.vault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.retention.RetentionEntry;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionedValue;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps biometric templates sealed with AES-256-GCM under a per-person key (table {@value #KEYS}, each key wrapped by
 * the {@link VaultMasterKey}); the sealed templates lie in table {@value #DATA}. Nothing biometric is stored, logged
 * or counted in plaintext. Destroying a person's key (crypto-shredding) makes every copy of their data unreadable;
 * every destruction is recorded in the audit chain. Every kept template is put on the {@link RetentionSchedule};
 * {@link #destroyDue} destroys what is due. Thread-safe.
 */
@Singleton
public final class BiometricVault {
  public static final String KEYS = "compliance_vault_keys";
  public static final String DATA = "compliance_vault_data";
  /** The table of the master key's check value: a constant sealed under the master key the vault was made with. */
  public static final String MASTER = "compliance_vault_master";
  private static final byte[] CHECK_AAD = "jwo vault master key check v1".getBytes(StandardCharsets.UTF_8);
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final KeyedTable keys;
  private final KeyedTable data;
  private VaultMasterKey master;
  private final KeyedTable masterTable;
  private final RetentionSchedule retention;
  private final AuditChain audit;
  private final SecureRandom random = new SecureRandom();
  private final java.util.concurrent.atomic.AtomicLong destructions = new java.util.concurrent.atomic.AtomicLong();

  @Inject
  public BiometricVault(StoreStorage storage, VaultMasterKey master, RetentionSchedule retention, AuditChain audit) {
    this.keys = storage.table(KEYS);
    this.data = storage.table(DATA);
    this.master = master;
    this.retention = retention;
    this.audit = audit;
    this.masterTable = storage.table(MASTER);
    checkMasterKey(masterTable);
  }

  /**
   * Refuses a master key other than the one this storage's vault was made with (which would make every person's
   * key unreadable and, worse, be replaced); records the key's check value on first use.
   *
   * @throws WrongMasterKeyException if the stored check value does not open under {@code master}
   */
  private void checkMasterKey(KeyedTable table) {
    Optional<VersionedValue> stored = table.get("check");
    if (stored.isEmpty()) {
      try {
        table.put("check", checkValue(master), KeyedTable.ABSENT);
      } catch (dev.jwo.core.storage.VersionConflictException e) {
        checkMasterKey(table); // another process recorded it first: check against theirs
      }
      return;
    }
    JsonNode json = Canonical.read(stored.get().value());
    try {
      crypt(Cipher.DECRYPT_MODE, master.key(), Base64.getDecoder().decode(Canonical.text(json, "iv", "")), CHECK_AAD,
          Base64.getDecoder().decode(Canonical.text(json, "sealed", "")));
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new WrongMasterKeyException("the vault master key is not the one this store's biometric vault was made"
          + " with, so no person's key would open; start with the store's own key (the vault key file or the"
          + " JWO_VAULT_KEY variable it was first started with). Nothing was changed.");
    }
  }
  /**
   * Seals and keeps a template, and schedules its destruction. Only call this with data the guard allowed.
   *
   * @param subject the person's pseudonym
   * @param visit the visit whose purpose the template serves
   */
  public synchronized TemplateRef keep(String subject, String visit, DataCategory category, double[] values, long ts) {
    PersonKey key = personKey(subject, ts);
    String item = "t-" + Canonical.sha256Hex(subject + "|" + visit + "|" + category + "|" + ts).substring(0, 20);
    ByteBuffer plain = ByteBuffer.allocate(values.length * Double.BYTES);
    for (double v : values) {
      plain.putDouble(v);
    }
    return seal(key, subject, visit, category, item, plain.array(), ts, Map.of());
  }

  /**
   * Seals several vectors of one person, visit and category together in one row (as the ingest boundary does for
   * what one commit of input carries), and schedules their destruction like a template's. Only call this with data
   * the guard allowed.
   *
   * @throws IllegalArgumentException if {@code vectors} is empty
   */
  public synchronized TemplateRef keepAll(
      String subject, String visit, DataCategory category, List<double[]> vectors, long ts) {
    if (vectors.isEmpty()) {
      throw new IllegalArgumentException("nothing to seal");
    }
    PersonKey key = personKey(subject, ts);
    byte[] nonce = new byte[8];
    random.nextBytes(nonce);
    String item = "b-" + Canonical.sha256Hex(subject + "|" + visit + "|" + category + "|" + ts + "|"
        + java.util.HexFormat.of().formatHex(nonce)).substring(0, 20);
    int doubles = 1;
    for (double[] vector : vectors) {
      doubles += 1 + vector.length;
    }
    ByteBuffer plain = ByteBuffer.allocate(doubles * Double.BYTES);
    plain.putDouble(vectors.size());
    for (double[] vector : vectors) {
      plain.putDouble(vector.length);
      for (double v : vector) {
        plain.putDouble(v);
      }
    }
    return seal(key, subject, visit, category, item, plain.array(), ts, Map.of("vectors", vectors.size()));
  }

  /**
   * Seals {@code plain} under the person's key, keeps the row (with {@code extra} fields after the time) and
   * schedules its destruction.
   */
  private TemplateRef seal(PersonKey key, String subject, String visit, DataCategory category, String item,
      byte[] plain, long ts, Map<String, Object> extra) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, key.key, iv, aad(subject, item, category), plain);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key_id", key.id);
    row.put("visit", visit);
    row.put("category", category.name());
    row.put("ts", ts);
    row.putAll(extra);
    row.put("iv", Base64.getEncoder().encodeToString(iv));
    row.put("sealed", Base64.getEncoder().encodeToString(sealed));
    data.put(subject + "/" + item, Canonical.json(row), KeyedTable.ANY_VERSION);
    retention.schedule(item, subject, visit, category, ts);
    return new TemplateRef(item, subject, visit, category, ts);
  }

  /** The vectors sealed together by {@link #keepAll}, in order, or empty once they were destroyed. */
  public synchronized Optional<List<double[]>> openAll(String subject, String item) {
    Optional<VersionedValue> stored = data.get(subject + "/" + item);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    JsonNode row = Canonical.read(stored.get().value());
    Optional<PersonKey> key = existingKey(subject);
    if (key.isEmpty() || !key.get().id.equals(Canonical.text(row, "key_id", ""))) {
      return Optional.empty();
    }
    byte[] plain;
    try {
      plain = crypt(Cipher.DECRYPT_MODE, key.get().key, Base64.getDecoder().decode(Canonical.text(row, "iv", "")),
          aad(subject, item, DataCategory.valueOf(Canonical.text(row, "category", ""))),
          Base64.getDecoder().decode(Canonical.text(row, "sealed", "")));
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(plain);
    int count = (int) buffer.getDouble();
    List<double[]> vectors = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double[] vector = new double[(int) buffer.getDouble()];
      for (int k = 0; k < vector.length; k++) {
        vector[k] = buffer.getDouble();
      }
      vectors.add(vector);
    }
    return Optional.of(vectors);
  }

  /** The template's values, or empty if it was destroyed. */
  public synchronized Optional<double[]> open(TemplateRef ref) {
    return sealedCopy(ref).flatMap(copy -> openCopy(ref.subject(), copy));
  }

  /** The template's row exactly as stored (sealed), as a backup would copy it. */
  public synchronized Optional<byte[]> sealedCopy(TemplateRef ref) {
    return data.get(ref.subject() + "/" + ref.item()).map(VersionedValue::value);
  }

  /**
   * Opens a copy of a sealed row with the subject's current key: empty once that key was destroyed, whatever copy
   * of the row is presented.
   */
  public synchronized Optional<double[]> openCopy(String subject, byte[] sealedRow) {
    JsonNode row = Canonical.read(sealedRow);
    Optional<PersonKey> key = existingKey(subject);
    if (key.isEmpty() || !key.get().id.equals(Canonical.text(row, "key_id", ""))) {
      return Optional.empty();
    }
    String item = itemOf(row, subject);
    byte[] plain;
    try {
      plain = crypt(Cipher.DECRYPT_MODE, key.get().key, Base64.getDecoder().decode(Canonical.text(row, "iv", "")),
          aad(subject, item, DataCategory.valueOf(Canonical.text(row, "category", ""))),
          Base64.getDecoder().decode(Canonical.text(row, "sealed", "")));
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(plain);
    double[] values = new double[plain.length / Double.BYTES];
    for (int i = 0; i < values.length; i++) {
      values[i] = buffer.getDouble();
    }
    return Optional.of(values);
  }

  /** The templates held for a subject. */
  public synchronized List<TemplateRef> held(String subject) {
    List<TemplateRef> refs = new ArrayList<>();
    for (KeyedValue row : data.scan(subject + "/")) {
      JsonNode json = Canonical.read(row.value().value());
      refs.add(new TemplateRef(row.key().substring(subject.length() + 1), subject, Canonical.text(json, "visit", ""),
          DataCategory.valueOf(Canonical.text(json, "category", "")), json.path("ts").asLong()));
    }
    return refs;
  }

  /** How many templates the vault holds in all. */
  public synchronized int size() {
    return data.scan("").size();
  }

  /** Whether the subject has a live key (data kept, or about to be). */
  public synchronized boolean hasKey(String subject) {
    return keys.get(subject).isPresent();
  }

  /**
   * Destroys everything the retention schedule says is due at {@code ts} (held subjects excepted): each due
   * template is deleted, and a person's key is shredded once nothing of theirs is left.
   */
  public synchronized List<DestructionRecord> destroyDue(long ts) {
    Map<String, List<RetentionEntry>> bySubject = new TreeMap<>();
    for (RetentionEntry entry : retention.due(ts)) {
      bySubject.computeIfAbsent(entry.subject(), s -> new ArrayList<>()).add(entry);
    }
    List<DestructionRecord> records = new ArrayList<>();
    for (Map.Entry<String, List<RetentionEntry>> due : bySubject.entrySet()) {
      List<RetentionEntry> entries = due.getValue();
      long dueTs = entries.stream().mapToLong(RetentionEntry::deadlineTs).min().orElse(ts);
      String reason = entries.stream().allMatch(e -> e.purposeSatisfiedTs() != null)
          ? "purpose satisfied" : "retention limit after last interaction reached";
      records.add(destroy(due.getKey(), entries.stream().map(RetentionEntry::item).toList(), reason,
          entries.get(0).rule(), dueTs, ts));
    }
    return records;
  }

  /**
   * Destroys everything held about a subject now (a deletion request or a withdrawal), shredding their key.
   *
   * @throws ComplianceException REFUSED if a legal hold covers the subject
   */
  public synchronized DestructionRecord destroySubject(String subject, String reason, String rule, long ts) {
    retention.hold(subject).ifPresent(hold -> {
      throw ComplianceException.refused("the data is under a legal hold (" + hold.order().wireName() + " "
          + hold.reference() + ", " + hold.authority() + ") and cannot be destroyed until the hold is released");
    });
    List<String> items = held(subject).stream().map(TemplateRef::item).toList();
    return destroy(subject, items, reason, rule, ts, ts);
  }

  /**
   * How many destructions this vault has carried out since it was opened; a holder of opened values (a cache)
   * drops them when it changes.
   */
  public long destructions() {
    return destructions.get();
  }

  private DestructionRecord destroy(String subject, List<String> items, String reason, String rule, long dueTs,
      long ts) {
    destructions.incrementAndGet();
    for (String item : items) {
      data.delete(subject + "/" + item);
      retention.remove(item);
    }
    boolean shredded = false;
    if (data.scan(subject + "/").isEmpty()) {
      shredded = keys.delete(subject);
    }
    Map<String, String> details = new TreeMap<>();
    details.put("items", Integer.toString(items.size()));
    details.put("key_shredded", Boolean.toString(shredded));
    details.put("reason", reason);
    details.put("rule", rule);
    details.put("due_ts", Long.toString(dueTs));
    details.put("method", "aes-256-gcm per-person key deleted; sealed rows deleted");
    AuditRecord record = audit.append(AuditType.DESTRUCTION, ts, subject, details);
    return new DestructionRecord(subject, items.size(), shredded, reason, rule, dueTs, ts, record.hash());
  }

  private PersonKey personKey(String subject, long ts) {
    Optional<PersonKey> existing = existingKey(subject);
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String id = "k-" + Canonical.sha256Hex(subject + "|" + ts).substring(0, 16);
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] wrapped = crypt(Cipher.ENCRYPT_MODE, master.key(), iv, (subject + "|" + id).getBytes(StandardCharsets.UTF_8),
        raw);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key_id", id);
    row.put("iv", Base64.getEncoder().encodeToString(iv));
    row.put("wrapped", Base64.getEncoder().encodeToString(wrapped));
    row.put("created_ts", ts);
    row.put("master", master.id());
    keys.put(subject, Canonical.json(row), KeyedTable.ANY_VERSION);
    return new PersonKey(id, new SecretKeySpec(raw, "AES"));
  }

  private Optional<PersonKey> existingKey(String subject) {
    Optional<VersionedValue> row = keys.get(subject);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    JsonNode json = Canonical.read(row.get().value());
    String id = Canonical.text(json, "key_id", "");
    String wrappedUnder = Canonical.text(json, "master", master.id());
    if (!wrappedUnder.equals(master.id())) {
      throw new WrongMasterKeyException("the key of a person in the vault is wrapped under another master key ("
          + wrappedUnder + ", this one is " + master.id() + "): a rotation of the master key was interrupted; run it"
          + " again with the same old and new keys to finish it. Nothing was changed.");
    }
    try {
      byte[] raw = crypt(Cipher.DECRYPT_MODE, master.key(), Base64.getDecoder().decode(Canonical.text(json, "iv", "")),
          (subject + "|" + id).getBytes(StandardCharsets.UTF_8),
          Base64.getDecoder().decode(Canonical.text(json, "wrapped", "")));
      return Optional.of(new PersonKey(id, new SecretKeySpec(raw, "AES")));
    } catch (IllegalStateException e) {
      return Optional.empty(); // wrapped by another master key: unreadable, as good as destroyed
    }
  }

  /**
   * Wraps every person's key again under {@code next} and makes it the vault's master key: afterwards the vault opens
   * only with {@code next} (the old key fails start-up with {@link WrongMasterKeyException}), and every template
   * opens as before. Records {@link AuditType#VAULT_KEY_ROTATED}. A rotation that stopped half-way (a crash) is
   * finished by running it again with the same keys: each row says which master key wraps it.
   *
   * @return how many person keys were wrapped again
   */
  public synchronized int rotateMasterKey(VaultMasterKey next, long ts) {
    String nextId = next.id();
    int rewrapped = 0;
    for (KeyedValue row : keys.scan("")) {
      String subject = row.key();
      JsonNode json = Canonical.read(row.value().value());
      String id = Canonical.text(json, "key_id", "");
      if (Canonical.text(json, "master", master.id()).equals(nextId)) {
        continue; // done before an interruption
      }
      byte[] aad = (subject + "|" + id).getBytes(StandardCharsets.UTF_8);
      byte[] raw = crypt(Cipher.DECRYPT_MODE, master.key(), Base64.getDecoder().decode(Canonical.text(json, "iv", "")),
          aad, Base64.getDecoder().decode(Canonical.text(json, "wrapped", "")));
      byte[] iv = new byte[IV_BYTES];
      random.nextBytes(iv);
      Map<String, Object> rewritten = new LinkedHashMap<>();
      rewritten.put("key_id", id);
      rewritten.put("iv", Base64.getEncoder().encodeToString(iv));
      rewritten.put("wrapped", Base64.getEncoder().encodeToString(crypt(Cipher.ENCRYPT_MODE, next.key(), iv, aad, raw)));
      rewritten.put("created_ts", json.path("created_ts").asLong());
      rewritten.put("master", nextId);
      keys.put(subject, Canonical.json(rewritten), row.value().version());
      rewrapped++;
    }
    String previousId = master.id();
    masterTable.put("check", checkValue(next), KeyedTable.ANY_VERSION);
    master = next;
    Map<String, String> details = new TreeMap<>();
    details.put("keys_rewrapped", Integer.toString(rewrapped));
    details.put("previous_master", previousId);
    details.put("master", nextId);
    audit.append(AuditType.VAULT_KEY_ROTATED, ts, "", details);
    return rewrapped;
  }

  private byte[] checkValue(VaultMasterKey key) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, key.key(), iv, CHECK_AAD, CHECK_AAD);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("iv", Base64.getEncoder().encodeToString(iv));
    row.put("sealed", Base64.getEncoder().encodeToString(sealed));
    return Canonical.json(row);
  }

  private static String itemOf(JsonNode row, String subject) {
    String visit = Canonical.text(row, "visit", "");
    String category = Canonical.text(row, "category", "");
    long ts = row.path("ts").asLong();
    return "t-" + Canonical.sha256Hex(subject + "|" + visit + "|" + DataCategory.valueOf(category) + "|" + ts)
        .substring(0, 20);
  }

  private static byte[] aad(String subject, String item, DataCategory category) {
    return (subject + "|" + item + "|" + category.name()).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] crypt(int mode, SecretKey key, byte[] iv, byte[] aad, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad);
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed: the data or key does not match", e);
    }
  }

  private record PersonKey(String id, SecretKey key) {}
}
