package dev.jwo.testing.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.keys.WrongSubjectKeyException;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.TemplateRef;
import dev.jwo.compliance.vault.WrongMasterKeyException;
import dev.jwo.core.Credential;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.security.Caller;
import dev.jwo.core.security.InvalidTokenException;
import dev.jwo.core.security.Role;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.storage.FakeStoreStorage;
import java.time.Duration;
import java.time.Instant;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.testing.scenario.StoreScript;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link StoreKeyProvider}, for any implementation (a key-management service's, a file's, the
 * environment's): a store started again with a provider over the same keys reads everything it kept (durable
 * storage included), a token signed before a restart still verifies, a provider over another store's keys is refused
 * at start-up, and no key is shown. Extend it and say how to reach the keys:
 *
 * <pre>{@code
 * class MyKmsKeysTest extends StoreKeyProviderKit {
 *   protected StoreKeyProvider provider() { return new MyKmsKeys(kmsClient, "store-7"); }
 *   protected StoreKeyProvider otherStore() { return new MyKmsKeys(kmsClient, "store-8"); }
 * }
 * }</pre>
 */
public abstract class StoreKeyProviderKit {
  protected static final long T = 1_764_410_400_000L;

  /** A provider over this store's keys; called again to simulate a restart, it must reach the same keys. */
  protected abstract StoreKeyProvider provider();

  /** A provider over another store's keys. */
  protected abstract StoreKeyProvider otherStore();

  private static Injector store(StoreStorage storage, StoreKeyProvider keys) {
    return Guice.createInjector(new CoreModule(StoreScript.smallStore("kit-keys", "US-IL")), new ComplianceModule(),
        new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(storage);
            OptionalBinder.newOptionalBinder(binder(), StoreKeyProvider.class).setBinding().toInstance(keys);
          }
        });
  }

  @Test
  void aStoreStartedAgainOpensWhatItSealedAndNamesPeopleTheSame() {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    Credential alice = Credential.of("kit-alice");
    Injector before = store(storage, provider());
    String subject = before.getInstance(Subjects.class).of(alice);
    TemplateRef ref = before.getInstance(BiometricVault.class).keep(subject, "v-1", DataCategory.FACE_GEOMETRY,
        new double[] {0.25, 0.5}, T);

    Injector after = store(storage, provider());
    assertThat(after.getInstance(Subjects.class).of(alice)).isEqualTo(subject);
    assertThat(after.getInstance(BiometricVault.class).open(ref)).hasValueSatisfying(
        v -> assertThat(v).containsExactly(0.25, 0.5));
  }

  @Test
  void aStoreOnDurableStorageRestartsWithItsKeys() {
    FakeStoreStorage storage = new FakeStoreStorage();
    Credential alice = Credential.of("kit-alice");
    Injector before = store(storage, provider());
    String subject = before.getInstance(Subjects.class).of(alice);
    TemplateRef ref = before.getInstance(BiometricVault.class).keep(subject, "v-1", DataCategory.FACE_GEOMETRY,
        new double[] {0.75}, T);

    FakeStoreStorage restarted = storage.reopen();
    Injector after = store(restarted, provider());
    assertThat(after.getInstance(BiometricVault.class).open(ref)).hasValueSatisfying(
        v -> assertThat(v).containsExactly(0.75));
  }

  @Test
  void aTokenSignedBeforeARestartVerifiesAfterItAndNoOtherStoresDoes() {
    Caller admin = new Caller(Role.STORE_ADMIN, "kit-admin", null);
    Instant now = Instant.ofEpochMilli(T);
    String token = provider().tokenKey().issue("kit-keys", admin, now, Duration.ofHours(1));
    assertThat(provider().tokenKey().verifier("kit-keys").verify(token, now)).isEqualTo(admin);
    String foreign = otherStore().tokenKey().issue("kit-keys", admin, now, Duration.ofHours(1));
    assertThatThrownBy(() -> provider().tokenKey().verifier("kit-keys").verify(foreign, now))
        .isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void anotherStoresKeysAreRefusedAtStartUp() {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    store(storage, provider()).getInstance(BiometricVault.class);

    StoreKeyProvider mine = provider();
    StoreKeyProvider other = otherStore();
    assertThatThrownBy(() -> store(storage, other).getInstance(Subjects.class))
        .hasRootCauseInstanceOf(WrongSubjectKeyException.class);
    StoreKeys otherVaultKey = new StoreKeys(other.vaultMasterKey(), mine.subjectKey());
    assertThatThrownBy(() -> store(storage, otherVaultKey).getInstance(BiometricVault.class))
        .hasRootCauseInstanceOf(WrongMasterKeyException.class);
    store(storage, provider()).getInstance(BiometricVault.class);
  }

  @Test
  void subjectsDependOnTheStoresKeyAndAreLongEnough() {
    Credential card = Credential.of("tok_4242424242424242");
    String mine = provider().subjectKey().subject(card);
    assertThat(mine).isEqualTo(provider().subjectKey().subject(card))
        .isNotEqualTo(otherStore().subjectKey().subject(card));
    assertThat(mine).matches("subj:[0-9a-f]{32,}").doesNotContain(card.reveal());
  }

  @Test
  void noKeyIsShown() {
    StoreKeyProvider keys = provider();
    assertThat(keys.describe()).isNotBlank();
    assertThat(keys.vaultMasterKey().toString()).contains("redacted");
    assertThat(keys.subjectKey().toString()).contains("redacted");
    assertThat(keys.toString()).doesNotContain(keys.tokenKey().toPem().lines().skip(1).findFirst().orElseThrow());
  }
}
