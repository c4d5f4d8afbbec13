package dev.jwo.compliance.keys;

import com.google.inject.ProvidedBy;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.security.TokenKey;

/**
 * Supplies a store's secrets from wherever the retailer keeps them: a key-management service, a file on other media
 * than the data ({@link KeyFileProvider}), the environment ({@link EnvironmentKeyProvider}) or memory
 * ({@link StoreKeys}). Bind one with {@code OptionalBinder.newOptionalBinder(binder, StoreKeyProvider.class)
 * .setBinding()}, or name its class to {@code jwo serve --key-provider} (a public class with a public constructor
 * taking the process environment as a {@code Map<String, String>}, or none); the compliance module takes the vault
 * master key, the subject key and the audit key from it, and {@code serve} the token key. Each key is read once,
 * when the store starts. Implementations must return the same keys on every call and every start (a store whose
 * keys change cannot read what it kept: it fails start-up instead), must throw {@link KeyUnavailableException} with
 * what to do rather than make up a key, and must never log them. Prove one with the kit
 * {@code StoreKeyProviderKit} of jwo-testing.
 *
 * <p>An injector that binds none gets random keys only while its {@link dev.jwo.core.storage.StoreStorage} is not
 * {@linkplain dev.jwo.core.storage.StoreStorage#durable() durable}; over durable storage it fails at creation,
 * since random keys would leave what the store kept unreadable after a restart ({@link StoreKeys.PerInjector}).
 */
@ProvidedBy(StoreKeys.PerInjector.class)
public interface StoreKeyProvider {
  /**
   * The key that wraps every person's key in the biometric vault.
   *
   * @throws KeyUnavailableException if it cannot be had (missing, malformed, the service refused)
   */
  VaultMasterKey vaultMasterKey();

  /**
   * The secret that names people by subject.
   *
   * @throws KeyUnavailableException if it cannot be had
   */
  SubjectKey subjectKey();

  /**
   * The key of the audit chain's hashes and checkpoints. By default derived from the subject key (both are made once
   * per store and never rotated); a provider may keep a key of its own.
   *
   * @throws KeyUnavailableException if it cannot be had
   */
  default AuditKey auditKey() {
    return subjectKey().deriveAuditKey();
  }

  /**
   * The key that signs callers' bearer tokens ({@code jwo token}) and verifies them ({@code jwo serve}).
   *
   * @throws KeyUnavailableException if it cannot be had
   */
  TokenKey tokenKey();

  /** Where the keys come from, for a start-up message; never key material. */
  String describe();
}
