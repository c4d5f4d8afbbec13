package dev.jwo.compliance.keys;

import dev.jwo.compliance.vault.VaultMasterKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The store's keys in files of their own (32 random bytes each, readable by the owner only), created on first use:
 * the vault master key in one file and the subject key in {@value #SUBJECT_KEY_FILE} beside it. Keep them on other
 * media than the data where you can. A file is never replaced once made: a lost or damaged key fails start-up.
 */
public final class KeyFileProvider implements StoreKeyProvider {
  /** The vault master key's file name in a key folder. */
  public static final String VAULT_KEY_FILE = "vault.key";
  /** The subject key's file name, beside the vault key. */
  public static final String SUBJECT_KEY_FILE = "subject.key";

  private final Path vaultKeyFile;
  private final Path subjectKeyFile;

  private KeyFileProvider(Path vaultKeyFile, Path subjectKeyFile) {
    this.vaultKeyFile = vaultKeyFile;
    this.subjectKeyFile = subjectKeyFile;
  }

  /** The keys {@value #VAULT_KEY_FILE} and {@value #SUBJECT_KEY_FILE} in {@code folder}. */
  public static KeyFileProvider inFolder(Path folder) {
    return new KeyFileProvider(folder.resolve(VAULT_KEY_FILE), folder.resolve(SUBJECT_KEY_FILE));
  }

  /** The vault master key in {@code vaultKeyFile}, the other keys beside it. */
  public static KeyFileProvider forVaultKeyFile(Path vaultKeyFile) {
    return new KeyFileProvider(vaultKeyFile, vaultKeyFile.resolveSibling(SUBJECT_KEY_FILE));
  }

  /** The vault master key's file. */
  public Path vaultKeyFile() {
    return vaultKeyFile;
  }

  @Override
  public VaultMasterKey vaultMasterKey() {
    return VaultMasterKey.of(read(vaultKeyFile, "vault"));
  }

  @Override
  public SubjectKey subjectKey() {
    return SubjectKey.of(read(subjectKeyFile, "subject"));
  }

  @Override
  public String describe() {
    return "key files " + vaultKeyFile + " and " + subjectKeyFile;
  }

  /** Writes a new random key to {@code file}, owner-only, unless it exists; returns whether it was made. */
  public static boolean create(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      Files.deleteIfExists(partial);
      try {
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(partial);
      }
      Files.write(partial, key);
      try {
        Files.createLink(file, partial); // fails if the key exists: a key is never replaced
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw new KeyUnavailableException("cannot create the key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] read(Path file, String what) {
    if (!Files.exists(file)) {
      create(file);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KeyUnavailableException("cannot read the " + what + " key file " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length == 32) {
      return bytes;
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1).strip();
    String convert = " the server reads the 32 raw bytes. Convert it with: ";
    if (text.matches("[0-9a-fA-F]{64}")) {
      throw new KeyUnavailableException("the " + what + " key file " + file + " holds the key as hexadecimal text;"
          + convert + "xxd -r -p " + file + " > " + file.getFileName() + ".bin, and use that file"
          + " (readable by the server's user only)");
    }
    if (decodesToKey(text)) {
      throw new KeyUnavailableException("the " + what + " key file " + file + " holds the key as base64 text;"
          + convert + "base64 -d " + file + " > " + file.getFileName() + ".bin, and use that file"
          + " (readable by the server's user only)");
    }
    throw new KeyUnavailableException("the " + what + " key file " + file + " holds " + bytes.length
        + " bytes, not a 32-byte key; it is not a jwo key, or it was damaged (it is never replaced automatically,"
        + " since that would make what the store kept unreadable)");
  }

  private static boolean decodesToKey(String text) {
    try {
      return Base64.getMimeDecoder().decode(text).length == 32 && text.length() >= 43;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
