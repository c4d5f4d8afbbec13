package dev.jwo.testing.keys;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.keys.EnvironmentKeyProvider;
import dev.jwo.compliance.keys.KeyUnavailableException;
import dev.jwo.compliance.keys.StoreKeyProvider;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentKeyProviderTest extends StoreKeyProviderKit {
  private static String key(int seed) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) seed;
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  protected StoreKeyProvider provider() {
    return new EnvironmentKeyProvider(Map.of(EnvironmentKeyProvider.VAULT_KEY, key(1),
        EnvironmentKeyProvider.SUBJECT_KEY, key(2)));
  }

  @Override
  protected StoreKeyProvider otherStore() {
    return new EnvironmentKeyProvider(Map.of(EnvironmentKeyProvider.VAULT_KEY, key(3),
        EnvironmentKeyProvider.SUBJECT_KEY, key(4)));
  }

  @Test
  void aMissingOrShortKeySaysWhatToGive() {
    StoreKeyProvider missing = new EnvironmentKeyProvider(Map.of(EnvironmentKeyProvider.VAULT_KEY, key(1)));
    assertThatThrownBy(missing::subjectKey).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining(EnvironmentKeyProvider.SUBJECT_KEY).hasMessageContaining("openssl rand -base64 32");
    StoreKeyProvider shortKey = new EnvironmentKeyProvider(Map.of(EnvironmentKeyProvider.VAULT_KEY, "AAAA"));
    assertThatThrownBy(shortKey::vaultMasterKey).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("holds 3");
  }
}
