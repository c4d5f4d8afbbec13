package dev.jwo.compliance.intake;

import com.google.protobuf.ByteString;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.ingest.CredentialSeal;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionConflictException;
import dev.jwo.core.storage.VersionedValue;
import dev.jwo.core.v1.EntryScan;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps the raw credential of an entry out of the input journal: before the entry is written, its credential is
 * encrypted (AES-256-GCM, the visit id as associated data) under a key of the visit's own (table {@value #TABLE})
 * and the entry keeps only that sealed form and the person's keyed subject. A replay after a restart opens it
 * while the key is kept. The key is one of the visit's {@link VisitRecords}: it is deleted when the visit's
 * payment records' retention ends (or the visit is closed unsettled), after which the journal's copy can no longer
 * be opened and the entry stands for the keyed subject only, whatever the input journal still holds. The key is
 * protected as the payment row that holds the same credential meanwhile is: by the database's protection.
 * Thread-safe.
 */
@Singleton
public final class SealedCredentials implements CredentialSeal, VisitRecords {
  /** One key per visit whose entry was journaled, by visit id. */
  public static final String TABLE = "compliance_credential_keys";
  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final KeyedTable keys;
  private final Subjects subjects;
  private final SecureRandom random = new SecureRandom();

  @Inject
  public SealedCredentials(StoreStorage storage, Subjects subjects) {
    this.keys = storage.table(TABLE);
    this.subjects = subjects;
  }

  @Override
  public EntryScan seal(VisitId visit, EntryScan entry) {
    Credential credential = Credential.of(entry.getCredential());
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, keyOf(visit), iv, visit,
        credential.reveal().getBytes(StandardCharsets.UTF_8));
    byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
    System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
    return entry.toBuilder().clearCredential().setSealedCredential(ByteString.copyFrom(out))
        .setCredentialSubject(subjects.of(credential)).build();
  }

  @Override
  public Optional<Credential> open(VisitId visit, EntryScan sealed) {
    Optional<VersionedValue> key = keys.get(visit.value());
    byte[] bytes = sealed.getSealedCredential().toByteArray();
    if (key.isEmpty() || bytes.length <= IV_BYTES) {
      return Optional.empty();
    }
    byte[] plain = crypt(Cipher.DECRYPT_MODE, key.get().value(), Arrays.copyOf(bytes, IV_BYTES), visit,
        Arrays.copyOfRange(bytes, IV_BYTES, bytes.length));
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

  /** Destroys the visit's key: the credential its journaled entry holds can no longer be opened. */
  @Override
  public int delete(String visit) {
    return keys.delete(visit) ? 1 : 0;
  }

  /** The visit's key, made and stored (durably, before the entry is journaled) if it has none yet. */
  private byte[] keyOf(VisitId visit) {
    Optional<VersionedValue> kept = keys.get(visit.value());
    if (kept.isPresent()) {
      return kept.get().value();
    }
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    try {
      keys.put(visit.value(), key, KeyedTable.ABSENT);
      return key;
    } catch (VersionConflictException e) {
      return keys.get(visit.value()).orElseThrow(() -> new StorageException("the credential key of visit "
          + visit + " was stored and deleted meanwhile", true)).value();
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
