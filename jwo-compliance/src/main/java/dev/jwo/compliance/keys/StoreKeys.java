package dev.jwo.compliance.keys;

import com.google.inject.Binding;
import com.google.inject.Injector;
import com.google.inject.Key;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.security.TokenKey;
import dev.jwo.core.storage.StoreStorage;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A store's keys held in memory: for tests, replays, and stores that keep nothing beyond a process. Bind
 * {@link #random()} explicitly to run a store on durable storage with keys that end with the process (what it keeps
 * can then not be read after a restart).
 */
public record StoreKeys(VaultMasterKey vaultMasterKey, SubjectKey subjectKey, TokenKey tokenKey)
    implements StoreKeyProvider {
  public StoreKeys {
    Objects.requireNonNull(vaultMasterKey, "vaultMasterKey");
    Objects.requireNonNull(subjectKey, "subjectKey");
    Objects.requireNonNull(tokenKey, "tokenKey");
  }

  /** These two keys and a new random token key. */
  public StoreKeys(VaultMasterKey vaultMasterKey, SubjectKey subjectKey) {
    this(vaultMasterKey, subjectKey, TokenKey.generate());
  }

  /** Fresh random keys. */
  public static StoreKeys random() {
    return new StoreKeys(VaultMasterKey.random(), SubjectKey.random(), TokenKey.generate());
  }

  /**
   * The keys of an injector that binds no {@link StoreKeyProvider}: random keys of its own, if its storage is not
   * durable (or it has none). Over durable storage {@link #get()} throws {@link KeyUnavailableException}, naming
   * how to bind keys.
   */
  @Singleton
  public static final class PerInjector implements Provider<StoreKeyProvider> {
    private final Injector injector;
    private @Nullable StoreKeys keys;

    @Inject
    PerInjector(Injector injector) {
      this.injector = injector;
    }

    @Override
    public synchronized StoreKeyProvider get() {
      if (keys == null) {
        @Nullable Binding<StoreStorage> storage = injector.getExistingBinding(Key.get(StoreStorage.class));
        if (storage != null) {
          StoreStorage kept = storage.getProvider().get();
          if (kept.durable()) {
            throw new KeyUnavailableException("no StoreKeyProvider is bound, and the store keeps its data in "
                + kept.describe() + ", which outlives this process: random keys would leave what it keeps"
                + " unreadable after a restart. Bind the store's keys with OptionalBinder.newOptionalBinder(binder,"
                + " StoreKeyProvider.class).setBinding(): KeyFileProvider.inFolder(DIR) on other media than the"
                + " data, new EnvironmentKeyProvider(System.getenv()), or a key-management service's provider; or,"
                + " for a test whose data need not be read again, StoreKeys.random() explicitly.");
          }
        }
        keys = random();
      }
      return keys;
    }
  }

  @Override
  public String describe() {
    return "keys held in memory (lost when the process ends)";
  }

  @Override
  public String toString() {
    return "StoreKeys[redacted]";
  }
}
