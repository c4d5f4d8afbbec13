package dev.jwo.testing.keys;

import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;

class StoreKeysTest extends StoreKeyProviderKit {
  private final StoreKeys keys = durable();

  private static StoreKeys durable() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return new StoreKeys(dev.jwo.compliance.vault.VaultMasterKey.random(), dev.jwo.compliance.keys.SubjectKey.of(bytes));
  }

  @Override
  protected StoreKeyProvider provider() {
    return keys;
  }

  @Override
  protected StoreKeyProvider otherStore() {
    return durable();
  }
}
