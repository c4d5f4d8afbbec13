package dev.jwo.compliance.keys;

import com.google.inject.ProvidedBy;
import dev.jwo.compliance.vault.VaultMasterKey;

/**
 * Supplies a store's secrets from wherever the retailer keeps them: a key-management service, a file on other media
 * than the data ({@link KeyFileProvider}), the environment ({@link EnvironmentKeyProvider}) or memory
 * ({@link StoreKeys}). Bind one with {@code OptionalBinder.newOptionalBinder(binder, StoreKeyProvider.class)
 * .setBinding()}; the compliance module takes the vault master key and the subject key from it. Each key is read
 * once, when the store starts. Implementations must return the same keys on every call and every start (a store
 * whose keys change cannot read what it kept: it fails start-up instead), and must never log them. Prove one with
 * the kit {@code StoreKeyProviderKit} of jwo-testing. An injector that binds none (one without the compliance
 * module) gets random {@link StoreKeys} of its own.
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

  /** Where the keys come from, for a start-up message; never key material. */
  String describe();
}
