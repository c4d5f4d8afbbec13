package dev.jwo.compliance.keys;

import dev.jwo.compliance.vault.VaultMasterKey;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.Objects;

/**
 * A store's keys held in memory: for tests, replays, and stores that keep nothing beyond a process (the default is
 * {@link #random()}, fresh per process).
 */
public record StoreKeys(VaultMasterKey vaultMasterKey, SubjectKey subjectKey) implements StoreKeyProvider {
  public StoreKeys {
    Objects.requireNonNull(vaultMasterKey, "vaultMasterKey");
    Objects.requireNonNull(subjectKey, "subjectKey");
  }

  /** Fresh random keys. */
  public static StoreKeys random() {
    return new StoreKeys(VaultMasterKey.random(), SubjectKey.random());
  }

  /** Random keys for an injector that binds no provider: one set per injector. */
  @Singleton
  public static final class PerInjector implements Provider<StoreKeyProvider> {
    private final StoreKeys keys = random();

    @Override
    public StoreKeyProvider get() {
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
