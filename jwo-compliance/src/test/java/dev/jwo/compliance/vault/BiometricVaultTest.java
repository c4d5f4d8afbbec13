package dev.jwo.compliance.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.policy.Policies;
import dev.jwo.compliance.retention.LegalHold;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** R7 (destruction that can be shown), R9 (no plaintext), R10 (encrypted at rest, per person). */
class BiometricVaultTest {
  static final long T = 1_764_410_400_000L;
  static final double[] FACE = {0.123456789, 0.987654321, 0.5, 0.25};

  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final AuditChain audit = dev.jwo.compliance.ComplianceFixture.auditChain(storage);
  private final RetentionSchedule retention =
      new RetentionSchedule(storage, Policies.resolve("US-IL"), ComplianceSettings.DEFAULTS, audit);
  private final VaultMasterKey master = VaultMasterKey.random();
  private final BiometricVault vault = new BiometricVault(storage, master, retention, audit);

  @Test
  void aKeptTemplateOpensWithItsOwnersKeyAndIsNeverStoredInPlaintext() {
    TemplateRef ref = vault.keep("cred:alice", "v-1", DataCategory.FACE_GEOMETRY, FACE, T);

    assertThat(vault.open(ref)).hasValueSatisfying(v -> assertThat(v).containsExactly(FACE));
    assertThat(retention.entry(ref.item())).isPresent();
    for (String table : new String[] {BiometricVault.DATA, BiometricVault.KEYS}) {
      for (KeyedValue row : storage.table(table).scan("")) {
        String text = new String(row.value().value(), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("0.123456789").doesNotContain("0.987654321");
        assertThat(new String(row.value().value(), StandardCharsets.ISO_8859_1))
            .doesNotContain(new String(plainBytes(), StandardCharsets.ISO_8859_1))
            .doesNotContain(Base64.getEncoder().encodeToString(plainBytes()));
      }
    }
    assertThat(audit.records()).allSatisfy(r -> assertThat(r.details().toString()).doesNotContain("0.123456789"));
  }

  @Test
  void shreddingTheKeyMakesEveryCopyUnreadableAndLeavesADestructionRecord() {
    TemplateRef ref = vault.keep("cred:alice", "v-1", DataCategory.FACE_GEOMETRY, FACE, T);
    byte[] backup = vault.sealedCopy(ref).orElseThrow();
    assertThat(vault.openCopy("cred:alice", backup)).isPresent();

    DestructionRecord record = vault.destroySubject("cred:alice", "test", "740 ILCS 14/15(a)", T + 5);

    assertThat(record.keyShredded()).isTrue();
    assertThat(record.items()).isEqualTo(1);
    assertThat(vault.open(ref)).isEmpty();
    assertThat(vault.openCopy("cred:alice", backup)).as("the backup copy").isEmpty();
    assertThat(vault.hasKey("cred:alice")).isFalse();
    assertThat(retention.entry(ref.item())).isEmpty();
    AuditRecord last = audit.records().get(audit.records().size() - 1);
    assertThat(last.type()).isEqualTo(AuditType.DESTRUCTION);
    assertThat(last.hash()).isEqualTo(record.auditHash());
    assertThat(last.detail("key_shredded")).isEqualTo("true");

    TemplateRef again = vault.keep("cred:alice", "v-2", DataCategory.FACE_GEOMETRY, FACE, T + 10);
    assertThat(vault.openCopy("cred:alice", backup)).as("a new key does not open old copies").isEmpty();
    assertThat(vault.open(again)).isPresent();
  }

  @Test
  void aCopyOfTheStorageWithoutTheMasterKeyRevealsNothing() {
    TemplateRef ref = vault.keep("cred:alice", "v-1", DataCategory.FACE_GEOMETRY, FACE, T);

    java.util.function.Supplier<java.util.List<String>> keys = () -> storage.table(BiometricVault.KEYS).scan("")
        .stream().map(r -> r.key() + "=" + new String(r.value().value(), StandardCharsets.UTF_8)).toList();
    var keysBefore = keys.get();
    long recordsBefore = audit.size();

    assertThatThrownBy(() -> new BiometricVault(storage, VaultMasterKey.random(), retention, audit))
        .isInstanceOf(WrongMasterKeyException.class)
        .hasMessageContaining("not the one this store's biometric vault was made with");
    assertThat(keys.get()).as("no person's key was replaced").isNotEmpty().isEqualTo(keysBefore);
    assertThat(audit.size()).isEqualTo(recordsBefore);
    assertThat(new BiometricVault(storage, master, retention, audit).open(ref)).isPresent();
  }

  @Test
  void aStoreWhoseVaultHoldsNothingYetStillRefusesAnotherKey() {
    assertThatThrownBy(() -> new BiometricVault(storage, VaultMasterKey.random(), retention, audit))
        .isInstanceOf(WrongMasterKeyException.class);
    assertThat(new BiometricVault(storage, master, retention, audit).size()).isZero();
  }

  @Test
  void aTamperedSealedRowDoesNotOpen() {
    TemplateRef ref = vault.keep("cred:alice", "v-1", DataCategory.FACE_GEOMETRY, FACE, T);
    String row = new String(vault.sealedCopy(ref).orElseThrow(), StandardCharsets.UTF_8);
    String sealed = row.replaceAll(".*\"sealed\":\"([^\"]+)\".*", "$1");
    byte[] bytes = Base64.getDecoder().decode(sealed);
    bytes[0] ^= 1;
    String tampered = row.replace(sealed, Base64.getEncoder().encodeToString(bytes));

    assertThat(vault.openCopy("cred:alice", tampered.getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void dataUnderALegalHoldIsNotDestroyedOnRequest() {
    vault.keep("cred:alice", "v-1", DataCategory.FACE_GEOMETRY, FACE, T);
    retention.placeHold("cred:alice", LegalHold.Order.SUBPOENA, "1:23-cv-15634", "N.D. Ill.", T + 1);

    assertThatThrownBy(() -> vault.destroySubject("cred:alice", "request", "rule", T + 2))
        .isInstanceOf(ComplianceException.class).hasMessageContaining("1:23-cv-15634");
    assertThat(vault.held("cred:alice")).hasSize(1);
  }

  private static byte[] plainBytes() {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(FACE.length * 8);
    for (double v : FACE) {
      b.putDouble(v);
    }
    return b.array();
  }
}
