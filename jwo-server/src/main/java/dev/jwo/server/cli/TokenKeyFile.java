package dev.jwo.server.cli;

import dev.jwo.core.security.TokenKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The store's token signing key in a PEM file of its own (readable by the owner only), created by the first
 * {@code serve}; {@code jwo token} issues tokens with it.
 */
final class TokenKeyFile {
  /** The file's name in the data directory unless {@code --token-key} says otherwise. */
  static final String DEFAULT_NAME = "token-signing-key.pem";

  private TokenKeyFile() {}

  /** Reads the key, creating a new one if the file does not exist. */
  static TokenKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, TokenKey.generate().toPem(), StandardCharsets.US_ASCII);
      } catch (UnsupportedOperationException e) {
        Files.writeString(file, TokenKey.generate().toPem(), StandardCharsets.US_ASCII);
      } catch (FileAlreadyExistsException e) {
        // another process made it first: use theirs
      }
    }
    return load(file);
  }

  /** Reads the key. @throws IllegalArgumentException with what is wrong if the file is not a token key */
  static TokenKey load(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("no token key at " + file + "; jwo serve creates one on first start, or"
          + " give its file with --token-key");
    }
    try {
      return TokenKey.fromPem(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the token key file " + file + " is not a jwo token key: " + e.getMessage()
          + " (it is never replaced automatically, since that would void every token issued)", e);
    }
  }
}
