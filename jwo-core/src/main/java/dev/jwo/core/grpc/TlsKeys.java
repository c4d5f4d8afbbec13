package dev.jwo.core.grpc;

import dev.jwo.core.security.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

/**
 * Reads a TLS private key from PEM in any of the usual forms: PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}), and hands it on as PKCS#8, the one form the TLS
 * stack reads. Encrypted keys are refused with the command that decrypts them.
 */
final class TlsKeys {
  private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
  private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");
  private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out KEY-pkcs8.pem";

  private TlsKeys() {}

  /** The key in {@code file} as PKCS#8 PEM. @throws IllegalArgumentException saying what is wrong and what to do */
  static byte[] pkcs8Pem(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    List<Pem.Block> blocks = Pem.read(text);
    if (text.contains("ENCRYPTED")) {
      throw new IllegalArgumentException("the TLS key " + file + " is encrypted; the server reads unencrypted keys"
          + " only (keep the file readable by the server's user alone): " + CONVERT);
    }
    for (Pem.Block block : blocks) {
      byte[] pkcs8 = switch (block.label()) {
        case "PRIVATE KEY" -> block.der();
        case "RSA PRIVATE KEY" -> sequence(concat(hex("020100"), RSA_ALGORITHM, tlv(0x04, block.der())));
        case "EC PRIVATE KEY" -> sequence(concat(hex("020100"),
            sequence(concat(EC_PUBLIC_KEY_OID, curveOf(block.der(), file))), tlv(0x04, block.der())));
        default -> null;
      };
      if (pkcs8 != null) {
        check(pkcs8, file);
        return Pem.write("PRIVATE KEY", pkcs8).getBytes(StandardCharsets.US_ASCII);
      }
    }
    throw new IllegalArgumentException("the TLS key " + file + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE"
        + " KEY or EC PRIVATE KEY); if it is DER or another format, " + CONVERT);
  }

  private static void check(byte[] pkcs8, Path file) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        return;
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("the TLS key " + file + " is not a readable RSA, EC or Ed25519 key; " + CONVERT);
  }

  /** The named curve of a SEC1 {@code ECPrivateKey}: its optional {@code [0]} parameters. */
  private static byte[] curveOf(byte[] sec1, Path file) {
    int[] outer = header(sec1, 0);
    int at = outer[0];
    int end = at + outer[1];
    while (at < end) {
      int tag = sec1[at] & 0xff;
      int[] h = header(sec1, at);
      if (tag == 0xa0) {
        int[] oid = header(sec1, h[0]);
        if ((sec1[h[0]] & 0xff) == 0x06) {
          return java.util.Arrays.copyOfRange(sec1, h[0], oid[0] + oid[1]);
        }
      }
      at = h[0] + h[1];
    }
    throw new IllegalArgumentException("the EC key " + file + " does not name its curve; " + CONVERT);
  }

  /** The offset of the content and its length, of the DER element at {@code at}. */
  private static int[] header(byte[] der, int at) {
    if (at + 1 >= der.length) {
      throw new IllegalArgumentException("the key is not valid DER");
    }
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return new int[] {at + 2, first};
    }
    int bytes = first & 0x7f;
    if (bytes > 3 || at + 2 + bytes > der.length) {
      throw new IllegalArgumentException("the key is not valid DER");
    }
    int length = 0;
    for (int i = 0; i < bytes; i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    if (at + 2 + bytes + length > der.length) {
      throw new IllegalArgumentException("the key is not valid DER");
    }
    return new int[] {at + 2 + bytes, length};
  }

  private static byte[] sequence(byte[] content) {
    return tlv(0x30, content);
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] hex(String text) {
    return java.util.HexFormat.of().parseHex(text);
  }
}
