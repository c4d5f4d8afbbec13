package dev.jwo.server.it;

import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.security.TokenKey;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A retailer's key provider as {@code jwo serve --key-provider} makes it: a public class whose constructor takes
 * the process environment, here fetching the store's keys from the secret folder named by {@value #FOLDER} (as a
 * secrets manager's agent would mount them).
 */
public final class SecretFolderKeys implements StoreKeyProvider {
  static final String FOLDER = "JWO_IT_SECRET_FOLDER";
  private final KeyFileProvider keys;

  public SecretFolderKeys(Map<String, String> environment) {
    this.keys = KeyFileProvider.inFolder(Path.of(Objects.requireNonNull(environment.get(FOLDER),
        FOLDER + " names no secret folder")));
  }

  @Override
  public VaultMasterKey vaultMasterKey() {
    return keys.vaultMasterKey();
  }

  @Override
  public SubjectKey subjectKey() {
    return keys.subjectKey();
  }

  @Override
  public TokenKey tokenKey() {
    return keys.tokenKey();
  }

  @Override
  public String describe() {
    return "the secret folder of " + FOLDER;
  }
}
