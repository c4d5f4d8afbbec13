package dev.jwo.server.cli;

import dev.jwo.compliance.keys.EnvironmentKeyProvider;
import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.compliance.keys.StoreKeyProvider;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where the store's keys come from: the environment ({@code JWO_VAULT_KEY} and {@code JWO_SUBJECT_KEY}), a key
 * folder, the folder of {@code --vault-key}, or (with a warning) the data directory.
 */
final class KeyOptions {
  @Option(names = "--key-dir", paramLabel = "DIR",
      description = "the folder of the store's keys (vault.key, subject.key), created on first start; keep it on"
          + " other media than the data. Or give the keys in JWO_VAULT_KEY and JWO_SUBJECT_KEY (base64 of 32 bytes)")
  @Nullable Path keyDir;

  @Option(names = "--vault-key", paramLabel = "FILE",
      description = "the biometric vault's master key file, created on first start, with subject.key beside it "
          + "(default: both in the data directory; keep them on other media)")
  @Nullable Path vaultKey;

  /** The provider these options name; {@code data} is the data directory, the last resort. */
  StoreKeyProvider provider(Map<String, String> environment, Path data) {
    if (EnvironmentKeyProvider.applies(environment)) {
      if (vaultKey != null || keyDir != null) {
        throw new IllegalArgumentException("give the store keys either in " + EnvironmentKeyProvider.VAULT_KEY
            + " and " + EnvironmentKeyProvider.SUBJECT_KEY + " or with --key-dir / --vault-key, not both");
      }
      return new EnvironmentKeyProvider(environment);
    }
    if (vaultKey != null && keyDir != null) {
      throw new IllegalArgumentException("give either --key-dir or --vault-key");
    }
    if (keyDir != null) {
      return KeyFileProvider.inFolder(keyDir);
    }
    if (vaultKey != null) {
      return KeyFileProvider.forVaultKeyFile(vaultKey);
    }
    System.out.println("WARNING: the store's keys are kept in the data directory, beside the data they protect;"
        + " move them to other media with --key-dir DIR or give them in " + EnvironmentKeyProvider.VAULT_KEY
        + " and " + EnvironmentKeyProvider.SUBJECT_KEY);
    return KeyFileProvider.inFolder(data);
  }
}
