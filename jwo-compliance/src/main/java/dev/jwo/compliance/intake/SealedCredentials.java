package dev.jwo.compliance.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.retention.StoragePurge;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.ingest.CredentialSeal;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionConflictException;
import dev.jwo.core.storage.VersionedValue;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.visit.Admission;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the raw credential of an entry out of the input journal: before the entry is written, its credential is
 * encrypted (AES-256-GCM, the visit id as associated data) under a key of the visit's own, and the entry keeps only
 * that sealed form and the person's keyed subject. The visit's key is kept in table {@value #TABLE} only wrapped
 * (AES-256-GCM under a key derived from the {@link VaultMasterKey}, bound to the visit), with the master key's id,
 * the entry's time and the keyed subject: a copy of the database without the master key opens no credential. A
 * replay after a restart opens it while the key is kept. The key is one of the visit's {@link VisitRecords}: it is
 * deleted when the visit's payment records' retention ends (or the visit is closed unsettled), and the key of an
 * entry no payment was made for (rejected by the pipeline) is listed by {@link #keptBefore} to be deleted on the
 * same schedule; then the journal's copy can no longer be opened and the entry stands for the keyed subject only.
 * Keys stored raw by an earlier release are wrapped at start-up. {@link #rotateMasterKey} wraps every key again
 * under a new master key. Thread-safe.
 */
@Singleton
public final class SealedCredentials implements CredentialSeal, VisitRecords {
  /** One wrapped key per visit whose entry was journaled, by visit id. */
  public static final String TABLE = "compliance_credential_keys";
  private static final String PURPOSE = "entry credential key";
  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final KeyedTable keys;
  private final Subjects subjects;
  private volatile VaultMasterKey master;
  private final SecureRandom random = new SecureRandom();

  private final @Nullable StoragePurge purge;

  /** Credentials sealed in {@code storage}, deleted keys left for the storage to reclaim. */
  public SealedCredentials(StoreStorage storage, Subjects subjects, VaultMasterKey master) {
    this(storage, subjects, master, null);
  }

  /**
   * Credentials sealed in {@code storage}; a deleted key is purged from its files by {@code purge} (none: left for
   * the storage to reclaim, as tools and tests that open a store's keys do).
   */
  @Inject
  public SealedCredentials(StoreStorage storage, Subjects subjects, VaultMasterKey master,
      @Nullable StoragePurge purge) {
    this.keys = storage.table(TABLE);
    this.subjects = subjects;
    this.master = master;
    this.purge = purge;
    wrapRawKeys();
  }

  @Override
  public EntryScan seal(VisitId visit, EntryScan entry) {
    Credential credential = Credential.of(entry.getCredential());
    String subject = subjects.of(credential);
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, keyOf(visit, subject), iv, visit,
        credential.reveal().getBytes(StandardCharsets.UTF_8));
    byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
    System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
    return entry.toBuilder().clearCredential().setSealedCredential(ByteString.copyFrom(out))
        .setCredentialSubject(subject).build();
  }

  @Override
  public Optional<Credential> open(VisitId visit, EntryScan sealed) {
    Optional<VersionedValue> key = keys.get(visit.value());
    byte[] bytes = sealed.getSealedCredential().toByteArray();
    if (key.isEmpty() || bytes.length <= IV_BYTES) {
      return Optional.empty();
    }
    byte[] plain = crypt(Cipher.DECRYPT_MODE, unwrap(visit.value(), key.get().value()), Arrays.copyOf(bytes, IV_BYTES),
        visit, Arrays.copyOfRange(bytes, IV_BYTES, bytes.length));
    return Optional.of(Credential.of(new String(plain, StandardCharsets.UTF_8)));
  }

  @Override
  public String where() {
    return "input journal (the entry's sealed credential: its key in table " + TABLE + ")";
  }

  @Override
  public DataCategory category() {
    return DataCategory.PAYMENT_TOKEN;
  }

  /** Kept until the visit's payment records go: the payment and its disputes need it. */
  @Override
  public int deleteOnRequest(String visit) {
    return 0;
  }

  /** Destroys the visit's key: the credential its journaled entry holds can no longer be opened. */
  @Override
  public int delete(String visit) {
    if (!keys.delete(visit)) {
      return 0;
    }
    if (purge != null) {
      purge.destroyed();
    }
    return 1;
  }

  @Override
  public List<Kept> keptBefore(long ts) {
    List<Kept> kept = new ArrayList<>();
    for (KeyedValue row : keys.scan("")) {
      long entryTs = Admission.entryTsOf(VisitId.of(row.key())).orElse(Long.MIN_VALUE);
      if (entryTs < ts) {
        byte[] value = row.value().value();
        String subject = value.length == KEY_BYTES ? "" : Canonical.text(Canonical.read(value), "subject", "");
        kept.add(new Kept(row.key(), subject, entryTs));
      }
    }
    return kept;
  }

  /**
   * Wraps every visit's key again under {@code next} (a row already wrapped by it, left by an interrupted rotation,
   * is skipped); from then on keys are wrapped and opened with {@code next}.
   *
   * @return how many keys were wrapped again
   */
  public synchronized int rotateMasterKey(VaultMasterKey next) {
    int rewrapped = 0;
    for (KeyedValue row : keys.scan("")) {
      byte[] value = row.value().value();
      JsonNode json = value.length == KEY_BYTES ? Canonical.read("{}".getBytes(StandardCharsets.UTF_8))
          : Canonical.read(value);
      if (Canonical.text(json, "master", "").equals(next.id())) {
        continue;
      }
      byte[] raw = unwrap(row.key(), value);
      keys.put(row.key(), wrapped(next, row.key(), raw, Canonical.text(json, "subject", "")), row.value().version());
      rewrapped++;
    }
    master = next;
    return rewrapped;
  }

  /** Wraps the keys an earlier release kept raw (32 bytes) under the master key. */
  private void wrapRawKeys() {
    for (KeyedValue row : keys.scan("")) {
      byte[] value = row.value().value();
      if (value.length == KEY_BYTES) {
        try {
          keys.put(row.key(), wrapped(master, row.key(), value, ""), row.value().version());
        } catch (VersionConflictException e) {
          // wrapped or deleted meanwhile by another writer
        }
      }
    }
  }

  /** The visit's key, made and stored wrapped (durably, before the entry is journaled) if it has none yet. */
  private byte[] keyOf(VisitId visit, String subject) {
    Optional<VersionedValue> kept = keys.get(visit.value());
    if (kept.isPresent()) {
      return unwrap(visit.value(), kept.get().value());
    }
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    try {
      keys.put(visit.value(), wrapped(master, visit.value(), key, subject), KeyedTable.ABSENT);
      return key;
    } catch (VersionConflictException e) {
      return unwrap(visit.value(), keys.get(visit.value()).orElseThrow(() -> new StorageException(
          "the credential key of visit " + visit + " was stored and deleted meanwhile", true)).value());
    }
  }

  private static byte[] wrapped(VaultMasterKey master, String visit, byte[] key, String subject) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("master", master.id());
    row.put("wrapped", Base64.getEncoder().encodeToString(master.wrap(PURPOSE, key, visit)));
    row.put("subject", subject);
    return Canonical.json(row);
  }

  private byte[] unwrap(String visit, byte[] row) {
    VaultMasterKey current = master;
    if (row.length == KEY_BYTES) {
      return row; // kept raw by an earlier release and not wrapped yet
    }
    JsonNode json = Canonical.read(row);
    String wrappedBy = Canonical.text(json, "master", "");
    if (!wrappedBy.equals(current.id())) {
      throw new StorageException("the credential key of visit " + visit + " is wrapped by master key " + wrappedBy
          + ", not the store's " + current.id() + ": a rotation was cut short; run jwo rotate-vault-key again with"
          + " the same keys", false);
    }
    try {
      return current.unwrap(PURPOSE, Base64.getDecoder().decode(Canonical.text(json, "wrapped", "")), visit);
    } catch (IllegalArgumentException e) {
      throw new StorageException("the credential key of visit " + visit + " does not open under the master key;"
          + " the key table is damaged", false, e);
    }
  }

  private static byte[] crypt(int mode, byte[] key, byte[] iv, VisitId visit, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(("jwo entry credential v1|" + visit.value()).getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new StorageException("the sealed credential of visit " + visit + " does not open with its key; the"
          + " journal or the key table is damaged", false, e);
    }
  }
}
