package dev.jwo.testing.keys;

import dev.jwo.compliance.keys.KeyUnavailableException;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.security.TokenKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key-management service in memory, for tests: it keeps one root key that never leaves it, and hands out data
 * keys only wrapped (envelope encryption), unwrapping them on request, as a cloud KMS does. {@link #keysOf} is a
 * {@link StoreKeyProvider} that keeps only wrapped keys and asks the service on each start; {@link #unavailable}
 * makes the service refuse, as an outage or a revoked grant would.
 */
public final class FakeKms {
  private final SecretKeySpec root;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> wrapped = new HashMap<>();
  private boolean unavailable;

  public FakeKms() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    this.root = new SecretKeySpec(bytes, "AES");
  }

  /** Makes every unwrap refuse (or serve again). */
  public synchronized void unavailable(boolean refuse) {
    this.unavailable = refuse;
  }

  /** The provider of store {@code storeId}'s keys, made (wrapped) on first use. */
  public StoreKeyProvider keysOf(String storeId) {
    return new StoreKeyProvider() {
      @Override
      public VaultMasterKey vaultMasterKey() {
        return VaultMasterKey.of(dataKey(storeId + "/vault"));
      }

      @Override
      public SubjectKey subjectKey() {
        return SubjectKey.of(dataKey(storeId + "/subject"));
      }

      @Override
      public TokenKey tokenKey() {
        return TokenKey.fromPem(new String(secret(storeId + "/token",
            () -> TokenKey.generate().toPem().getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII));
      }

      @Override
      public String describe() {
        return "fake KMS data keys of store " + storeId;
      }
    };
  }

  private byte[] dataKey(String name) {
    return secret(name, () -> {
      byte[] key = new byte[32];
      random.nextBytes(key);
      return key;
    });
  }

  /** The secret {@code name}, made by {@code make} and kept wrapped on first use, unwrapped on each call. */
  private synchronized byte[] secret(String name, java.util.function.Supplier<byte[]> make) {
    if (unavailable) {
      throw new KeyUnavailableException("the key-management service refused to unwrap " + name);
    }
    byte[] blob = wrapped.get(name);
    if (blob == null) {
      byte[] key = make.get();
      byte[] iv = new byte[12];
      random.nextBytes(iv);
      byte[] sealed = crypt(Cipher.ENCRYPT_MODE, iv, name, key);
      blob = new byte[12 + sealed.length];
      System.arraycopy(iv, 0, blob, 0, 12);
      System.arraycopy(sealed, 0, blob, 12, sealed.length);
      wrapped.put(name, blob);
    }
    byte[] iv = java.util.Arrays.copyOf(blob, 12);
    return crypt(Cipher.DECRYPT_MODE, iv, name, java.util.Arrays.copyOfRange(blob, 12, blob.length));
  }

  private byte[] crypt(int mode, byte[] iv, String name, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, root, new GCMParameterSpec(128, iv));
      cipher.updateAAD(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new KeyUnavailableException("the fake KMS could not unwrap " + name, e);
    }
  }
}
