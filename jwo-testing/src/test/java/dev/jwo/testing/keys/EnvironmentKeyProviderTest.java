package dev.jwo.testing.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.keys.EnvironmentKeyProvider;
import dev.jwo.compliance.keys.KeyUnavailableException;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.core.security.TokenKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentKeyProviderTest extends StoreKeyProviderKit {
  private static final String TOKEN_PEM = TokenKey.generate().toPem();
  private static final String OTHER_TOKEN_PEM = TokenKey.generate().toPem();

  private static String key(int seed) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) seed;
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  protected StoreKeyProvider provider() {
    return new EnvironmentKeyProvider(Map.of(EnvironmentKeyProvider.VAULT_KEY, key(1),
        EnvironmentKeyProvider.SUBJECT_KEY, key(2), EnvironmentKeyProvider.TOKEN_KEY, TOKEN_PEM));
  }

  @Override
  protected StoreKeyProvider otherStore() {
    return new EnvironmentKeyProvider(Map.of(EnvironmentKeyProvider.VAULT_KEY, key(3),
        EnvironmentKeyProvider.SUBJECT_KEY, key(4), EnvironmentKeyProvider.TOKEN_KEY,
        Base64.getEncoder().encodeToString(OTHER_TOKEN_PEM.getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void aMissingOrShortKeySaysWhatToGive() {
    StoreKeyProvider missing = new EnvironmentKeyProvider(Map.of(EnvironmentKeyProvider.VAULT_KEY, key(1)));
    assertThatThrownBy(missing::subjectKey).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining(EnvironmentKeyProvider.SUBJECT_KEY).hasMessageContaining("openssl rand -base64 32");
    StoreKeyProvider shortKey = new EnvironmentKeyProvider(Map.of(EnvironmentKeyProvider.VAULT_KEY, "AAAA"));
    assertThatThrownBy(shortKey::vaultMasterKey).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("holds 3");
    assertThatThrownBy(missing::tokenKey).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining(EnvironmentKeyProvider.TOKEN_KEY).hasMessageContaining("openssl genpkey");
    StoreKeyProvider notAKey = new EnvironmentKeyProvider(Map.of(EnvironmentKeyProvider.TOKEN_KEY,
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
    assertThatThrownBy(notAKey::tokenKey).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("is not a token key");
  }

  @Test
  void theTokenKeyIsReadAsPemOrAsBase64OfPem() {
    String base64 = Base64.getEncoder().encodeToString(TOKEN_PEM.getBytes(StandardCharsets.US_ASCII));
    StoreKeyProvider asBase64 = new EnvironmentKeyProvider(Map.of(EnvironmentKeyProvider.TOKEN_KEY, base64));
    assertThat(asBase64.tokenKey().publicPem()).isEqualTo(provider().tokenKey().publicPem());
  }
}
