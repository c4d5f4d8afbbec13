package dev.jwo.compliance.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.v1.EntryScan;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The input journal holds an entry's credential only sealed under its visit's key, and not at all once it is gone. */
class SealedCredentialsTest {
  private static final VisitId VISIT = VisitId.of("v-1764410400000-in-1");
  private static final VaultMasterKey MASTER = VaultMasterKey.random();

  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final Subjects subjects = new Subjects(storage, ComplianceFixture.SUBJECT_KEY);
  private final SealedCredentials credentials = new SealedCredentials(storage, subjects, MASTER);

  @Test
  void anEntryKeepsOnlyTheSealedCredentialAndTheKeyedSubjectAndOpensUntilTheVisitsKeyIsDeleted() {
    EntryScan sealed = credentials.seal(VISIT,
        EntryScan.newBuilder().setGate("in-1").setCredential("tok_4242424242424242").setPartySize(2).build());

    assertThat(sealed.getCredential()).isEmpty();
    assertThat(sealed.getCredentialSubject()).isEqualTo(subjects.of(Credential.of("tok_4242424242424242")));
    assertThat(new String(sealed.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("4242");
    assertThat(sealed.getPartySize()).isEqualTo(2);
    assertThat(credentials.open(VISIT, sealed)).contains(Credential.of("tok_4242424242424242"));

    assertThat(credentials.delete(VISIT.value())).isEqualTo(1);

    assertThat(storage.table(SealedCredentials.TABLE).get(VISIT.value())).isEmpty();
    assertThat(credentials.open(VISIT, sealed)).isEmpty();
    assertThat(credentials.delete(VISIT.value())).as("deleting again finds nothing").isZero();
  }

  @Test
  void aSealedCredentialOpensOnlyForItsOwnVisit() {
    VisitId other = VisitId.of("v-1764410400001-in-1");
    EntryScan mine = credentials.seal(VISIT, EntryScan.newBuilder().setGate("in-1").setCredential("c-1").build());
    credentials.seal(other, EntryScan.newBuilder().setGate("in-1").setCredential("c-2").build());

    assertThatThrownBy(() -> credentials.open(other, mine)).isInstanceOf(StorageException.class)
        .hasMessageContaining("does not open");
  }

  @Test
  void aKeyAnEarlierReleaseKeptRawIsWrappedAtStartUpAndStillOpensItsEntry() throws Exception {
    byte[] raw = new byte[32];
    raw[0] = 9;
    javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    byte[] iv = new byte[12];
    cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(raw, "AES"),
        new javax.crypto.spec.GCMParameterSpec(128, iv));
    cipher.updateAAD(("jwo entry credential v1|" + VISIT.value()).getBytes(StandardCharsets.UTF_8));
    byte[] sealed = cipher.doFinal("c-old".getBytes(StandardCharsets.UTF_8));
    byte[] journaled = java.util.Arrays.copyOf(iv, 12 + sealed.length);
    System.arraycopy(sealed, 0, journaled, 12, sealed.length);
    InMemoryStoreStorage earlier = new InMemoryStoreStorage();
    earlier.table(SealedCredentials.TABLE).put(VISIT.value(), raw, dev.jwo.core.storage.KeyedTable.ABSENT);

    SealedCredentials started = new SealedCredentials(earlier, subjects, MASTER);

    byte[] row = earlier.table(SealedCredentials.TABLE).get(VISIT.value()).orElseThrow().value();
    assertThat(row).hasSizeGreaterThan(32);
    assertThat(new String(row, StandardCharsets.ISO_8859_1)).doesNotContain(new String(raw, StandardCharsets.ISO_8859_1))
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(raw));
    assertThat(started.open(VISIT, EntryScan.newBuilder().setSealedCredential(
        com.google.protobuf.ByteString.copyFrom(journaled)).build())).contains(Credential.of("c-old"));
  }

  @Test
  void rotationWrapsEveryKeyAgainAndTheOldMasterKeyNoLongerOpensThem() {
    EntryScan sealed = credentials.seal(VISIT, EntryScan.newBuilder().setGate("in-1").setCredential("c-1").build());
    VaultMasterKey next = VaultMasterKey.random();

    assertThat(credentials.rotateMasterKey(next)).isEqualTo(1);
    assertThat(credentials.rotateMasterKey(next)).as("run again, nothing is left to wrap").isZero();

    assertThat(new SealedCredentials(storage, subjects, next).open(VISIT, sealed)).contains(Credential.of("c-1"));
    assertThatThrownBy(() -> new SealedCredentials(storage, subjects, MASTER).open(VISIT, sealed))
        .isInstanceOf(StorageException.class).hasMessageContaining("is wrapped by master key " + next.id());
  }

  @Test
  void keysAreListedByTheirEntrysTimeWithTheKeyedSubject() {
    credentials.seal(VISIT, EntryScan.newBuilder().setGate("in-1").setCredential("c-1").build());

    assertThat(credentials.keptBefore(1_764_410_400_000L)).isEmpty();
    assertThat(credentials.keptBefore(1_764_410_400_001L)).singleElement().satisfies(k -> {
      assertThat(k.visit()).isEqualTo(VISIT.value());
      assertThat(k.entryTs()).isEqualTo(1_764_410_400_000L);
      assertThat(k.subject()).isEqualTo(subjects.of(Credential.of("c-1")));
    });
  }
}
