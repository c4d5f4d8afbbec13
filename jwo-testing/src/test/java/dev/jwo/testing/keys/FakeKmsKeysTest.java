package dev.jwo.testing.keys;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.keys.KeyUnavailableException;
import dev.jwo.compliance.keys.StoreKeyProvider;
import org.junit.jupiter.api.Test;

class FakeKmsKeysTest extends StoreKeyProviderKit {
  private final FakeKms kms = new FakeKms();

  @Override
  protected StoreKeyProvider provider() {
    return kms.keysOf("store-7");
  }

  @Override
  protected StoreKeyProvider otherStore() {
    return kms.keysOf("store-8");
  }

  @Test
  void aRefusingServiceFailsWithAClearError() {
    provider().vaultMasterKey();
    kms.unavailable(true);
    assertThatThrownBy(() -> provider().vaultMasterKey()).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("refused");
  }
}
