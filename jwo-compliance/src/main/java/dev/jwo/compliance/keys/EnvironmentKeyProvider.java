package dev.jwo.compliance.keys;

import dev.jwo.compliance.vault.VaultMasterKey;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The store's keys from environment variables, each the base64 of 32 bytes (e.g. {@code openssl rand -base64 32}):
 * {@value #VAULT_KEY} and {@value #SUBJECT_KEY}.
 */
public final class EnvironmentKeyProvider implements StoreKeyProvider {
  public static final String VAULT_KEY = "JWO_VAULT_KEY";
  public static final String SUBJECT_KEY = "JWO_SUBJECT_KEY";

  private final Map<String, String> environment;

  /** Keys from {@code environment} (the process's is {@code System.getenv()}). */
  public EnvironmentKeyProvider(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Whether {@code environment} names a vault key, so this provider applies. */
  public static boolean applies(Map<String, String> environment) {
    String value = environment.get(VAULT_KEY);
    return value != null && !value.isBlank();
  }

  @Override
  public VaultMasterKey vaultMasterKey() {
    return VaultMasterKey.of(decode(VAULT_KEY));
  }

  @Override
  public SubjectKey subjectKey() {
    return SubjectKey.of(decode(SUBJECT_KEY));
  }

  @Override
  public String describe() {
    return "environment variables " + VAULT_KEY + " and " + SUBJECT_KEY;
  }

  private byte[] decode(String variable) {
    @Nullable String value = environment.get(variable);
    if (value == null || value.isBlank()) {
      throw new KeyUnavailableException("the environment variable " + variable + " is not set; give it the base64"
          + " of 32 random bytes (openssl rand -base64 32) the first time, and the same value ever after");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.strip());
    } catch (IllegalArgumentException e) {
      throw new KeyUnavailableException(variable + " must hold 32 bytes in base64 (e.g. from openssl rand -base64"
          + " 32): " + e.getMessage(), e);
    }
    if (bytes.length != 32) {
      throw new KeyUnavailableException(variable + " must hold 32 bytes in base64 (e.g. from openssl rand -base64"
          + " 32), it holds " + bytes.length);
    }
    return bytes;
  }
}
