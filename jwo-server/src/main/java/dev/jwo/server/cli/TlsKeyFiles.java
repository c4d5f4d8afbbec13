package dev.jwo.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Checks the files given to {@code serve --tls-cert --tls-key} before the server reads them, so that a key in a
 * format the server cannot read is refused with the command that converts it rather than a TLS library's error.
 * The server reads a PEM certificate chain and an unencrypted PKCS#8 PEM private key ({@code BEGIN PRIVATE KEY}).
 */
final class TlsKeyFiles {
  private TlsKeyFiles() {}

  /** @throws IllegalArgumentException naming what is wrong with a file and how to fix it */
  static void check(Path certificateChain, Path privateKey) throws IOException {
    String chain = read(certificateChain, "--tls-cert");
    if (!chain.contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException("the TLS certificate " + certificateChain + " is not a PEM certificate "
          + "chain (no 'BEGIN CERTIFICATE'); if it is DER, convert it with: openssl x509 -inform DER -in "
          + certificateChain + " -out chain.pem");
    }
    String key = read(privateKey, "--tls-key");
    if (key.contains("-----BEGIN PRIVATE KEY-----")) {
      return;
    }
    String convert = " -in " + privateKey + " -out key.pkcs8.pem, and give --tls-key key.pkcs8.pem";
    if (key.contains("-----BEGIN RSA PRIVATE KEY-----") || key.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new IllegalArgumentException("the TLS key " + privateKey + " is in the traditional (PKCS#1 or SEC1) "
          + "format; the server reads PKCS#8. Convert it with: openssl pkey" + convert);
    }
    if (key.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new IllegalArgumentException("the TLS key " + privateKey + " is encrypted with a passphrase; the "
          + "server reads an unencrypted PKCS#8 key (keep it readable by the server's user only). Decrypt it "
          + "with: openssl pkey" + convert);
    }
    if (key.contains("-----BEGIN")) {
      throw new IllegalArgumentException("the TLS key " + privateKey + " holds no private key (no 'BEGIN "
          + "PRIVATE KEY'); did you swap --tls-cert and --tls-key?");
    }
    throw new IllegalArgumentException("the TLS key " + privateKey + " is not PEM text; if it is a DER key, "
        + "convert it with: openssl pkey -inform DER" + convert);
  }

  private static String read(Path file, String option) throws IOException {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(option + " " + file + ": no such file", e);
    }
  }
}
