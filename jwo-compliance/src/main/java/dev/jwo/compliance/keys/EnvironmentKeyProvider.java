package dev.jwo.compliance.keys;

import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.security.TokenKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The store's keys from environment variables: {@value #VAULT_KEY} and {@value #SUBJECT_KEY}, each the base64 of 32
 * bytes (e.g. {@code openssl rand -base64 32}), and {@value #TOKEN_KEY}, the token signing key as PEM (a P-256
 * {@code PRIVATE KEY} and its {@code PUBLIC KEY}, see {@link #HOW_TOKEN_KEY}), or the base64 of that PEM.
 */
public final class EnvironmentKeyProvider implements StoreKeyProvider {
  public static final String VAULT_KEY = "JWO_VAULT_KEY";
  public static final String SUBJECT_KEY = "JWO_SUBJECT_KEY";
  public static final String TOKEN_KEY = "JWO_TOKEN_KEY";
  /** How to make a token key for {@value #TOKEN_KEY} with OpenSSL. */
  public static final String HOW_TOKEN_KEY = "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256"
      + " -out token.pem && openssl pkey -in token.pem -pubout >> token.pem, then " + TOKEN_KEY
      + "=\"$(cat token.pem)\"";

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
  public TokenKey tokenKey() {
    @Nullable String value = environment.get(TOKEN_KEY);
    if (value == null || value.isBlank()) {
      throw new KeyUnavailableException("the environment variable " + TOKEN_KEY + " is not set; give it the store's"
          + " token signing key as PEM, made once (" + HOW_TOKEN_KEY + ") and the same ever after");
    }
    String pem = value.strip();
    if (!pem.startsWith("-----")) {
      try {
        pem = new String(Base64.getMimeDecoder().decode(pem), StandardCharsets.US_ASCII);
      } catch (IllegalArgumentException e) {
        throw new KeyUnavailableException(TOKEN_KEY + " holds neither PEM nor base64 of PEM: " + e.getMessage(), e);
      }
    }
    try {
      return TokenKey.fromPem(pem);
    } catch (IllegalArgumentException e) {
      throw new KeyUnavailableException(TOKEN_KEY + " is not a token key (" + e.getMessage() + "); make one with: "
          + HOW_TOKEN_KEY, e);
    }
  }

  @Override
  public String describe() {
    return "environment variables " + VAULT_KEY + ", " + SUBJECT_KEY + " and " + TOKEN_KEY;
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
