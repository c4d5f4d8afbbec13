package dev.jwo.testing.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.compliance.keys.KeyUnavailableException;
import dev.jwo.compliance.keys.StoreKeyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileProviderTest extends StoreKeyProviderKit {
  @TempDir Path dir;

  @Override
  protected StoreKeyProvider provider() {
    return KeyFileProvider.inFolder(dir.resolve("keys"));
  }

  @Override
  protected StoreKeyProvider otherStore() {
    return KeyFileProvider.inFolder(dir.resolve("other-keys"));
  }

  @Test
  void keysAreMadeOnceOwnerOnlyAndNeverReplaced() throws Exception {
    provider().vaultMasterKey();
    provider().subjectKey();
    Path vault = dir.resolve("keys").resolve(KeyFileProvider.VAULT_KEY_FILE);
    Path subject = dir.resolve("keys").resolve(KeyFileProvider.SUBJECT_KEY_FILE);
    assertThat(Files.size(vault)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(subject))).isEqualTo("rw-------");
    byte[] before = Files.readAllBytes(subject);
    assertThat(KeyFileProvider.create(subject)).isFalse();
    assertThat(Files.readAllBytes(subject)).isEqualTo(before);

    Files.write(subject, new byte[5]);
    assertThatThrownBy(() -> provider().subjectKey()).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("holds 5 bytes").hasMessageContaining("never replaced");
  }
}
