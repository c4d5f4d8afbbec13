package dev.jwo.compliance.inject;

import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.vault.VaultMasterKey;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

/** The default vault master key: that of the bound {@link StoreKeyProvider}. */
final class KeysFromProvider {
  private KeysFromProvider() {}

  /** Resolves the store's provider when the injector is made, so a store without keys fails then. */
  static final class Bound {
    @Inject
    Bound(StoreKeyProvider keys) {
      keys.describe();
    }
  }

  static final class Vault implements Provider<VaultMasterKey> {
    private final StoreKeyProvider keys;

    @Inject
    Vault(StoreKeyProvider keys) {
      this.keys = keys;
    }

    @Override
    public VaultMasterKey get() {
      return keys.vaultMasterKey();
    }
  }
}
