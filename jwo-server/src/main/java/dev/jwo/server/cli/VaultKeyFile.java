package dev.jwo.server.cli;

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
 * The biometric vault's master key in a file of its own (32 random bytes, readable by the owner only), created on
 * first start, so that templates sealed before a restart can still be opened after it. Keep the file on other
 * media than the database where you can: the per-person keys that the vault destroys are wrapped by it.
 */
final class VaultKeyFile {
  private VaultKeyFile() {}

  static VaultMasterKey load(Path file) throws IOException {
    if (!Files.exists(file)) {
      create(file);
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != 32) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1).strip();
      if (text.matches("[0-9a-fA-F]{64}")) {
        throw new IllegalStateException("the vault key file " + file + " holds the key as hexadecimal text; the "
            + "server reads the 32 raw bytes. Convert it with: xxd -r -p " + file + " > vault.key.bin, and give "
            + "--vault-key vault.key.bin (keep it readable by the server's user only)");
      }
      if (decodesToKey(text)) {
        throw new IllegalStateException("the vault key file " + file + " holds the key as base64 text; the server "
            + "reads the 32 raw bytes. Convert it with: base64 -d " + file + " > vault.key.bin, and give "
            + "--vault-key vault.key.bin (keep it readable by the server's user only)");
      }
      throw new IllegalStateException("the vault key file " + file + " holds " + bytes.length
          + " bytes, not a 32-byte key; it is not a jwo vault key, or it was damaged (it is never replaced "
          + "automatically, since that would make every kept template unreadable)");
    }
    return VaultMasterKey.of(bytes);
  }

  private static boolean decodesToKey(String text) {
    try {
      return Base64.getMimeDecoder().decode(text).length == 32 && text.length() >= 43;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void create(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      return;
    }
    Files.write(file, key);
  }
}
