package dev.jwo.server.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Looks for face vectors in bytes at rest, in every encoding a program could have written them: IEEE doubles in
 * either byte order, pairs of floats in either byte order, decimal text with nine or more fraction digits, and any
 * of those inside base64 or hex text, and inside zlib-deflated data (the store deflates its journal). Sealed
 * (encrypted) data does not match.
 */
final class FaceScan {
  private static final Pattern DECIMAL = Pattern.compile("-?\\d*\\.(\\d{9,})");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{16,}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{32,}");
  private static final int MAX_FINDINGS = 20;
  private static final int MAX_INFLATED = 4 << 20;

  private final Set<Long> doubles = new HashSet<>();
  private final Set<Long> floatPairs = new HashSet<>();
  private final double[] sorted;
  private final List<String> findings = new ArrayList<>();
  private long scanned;

  FaceScan(List<double[]> faces) {
    List<Double> values = new ArrayList<>();
    for (double[] face : faces) {
      for (int i = 0; i < face.length; i++) {
        long bits = Double.doubleToRawLongBits(face[i]);
        doubles.add(bits);
        doubles.add(Long.reverseBytes(bits));
        values.add(face[i]);
        if (i + 1 < face.length) {
          long high = Float.floatToRawIntBits((float) face[i]) & 0xffffffffL;
          long low = Float.floatToRawIntBits((float) face[i + 1]) & 0xffffffffL;
          floatPairs.add(high << 32 | low);
          floatPairs.add((Integer.reverseBytes((int) high) & 0xffffffffL) << 32
              | (Integer.reverseBytes((int) low) & 0xffffffffL));
        }
      }
    }
    sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** Scans one file, column value or output, named {@code where}. */
  void bytes(String where, byte[] bytes) {
    scanned += bytes.length;
    binary(where, bytes, "");
    inflated(where, bytes);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    Matcher decimal = DECIMAL.matcher(text);
    while (decimal.find()) {
      String token = decimal.group();
      double value;
      try {
        value = Double.parseDouble(token);
      } catch (NumberFormatException e) {
        continue;
      }
      double tolerance = Math.pow(10, -decimal.group(1).length()) / 2 + 1e-15;
      if (near(value, tolerance)) {
        found(where, decimal.start(), "decimal text '" + token + "'");
      }
    }
    Matcher base64 = BASE64.matcher(text);
    while (base64.find()) {
      String run = base64.group().replace('-', '+').replace('_', '/');
      for (int shift = 0; shift < 4; shift++) {
        String aligned = run.substring(shift, shift + (run.length() - shift) / 4 * 4);
        try {
          binary(where, Base64.getDecoder().decode(aligned), " in base64 at " + base64.start());
        } catch (IllegalArgumentException e) {
          // not base64 after all
        }
      }
    }
    Matcher hex = HEX.matcher(text);
    while (hex.find()) {
      for (int shift = 0; shift < 2; shift++) {
        String aligned = hex.group().substring(shift, shift + (hex.group().length() - shift) / 2 * 2);
        binary(where, HexFormat.of().parseHex(aligned), " in hex at " + hex.start());
      }
    }
  }

  List<String> findings() {
    return List.copyOf(findings);
  }

  long bytesScanned() {
    return scanned;
  }

  private void binary(String where, byte[] bytes, String context) {
    for (int i = 0; i + 8 <= bytes.length; i++) {
      long word = 0;
      for (int k = 0; k < 8; k++) {
        word = word << 8 | (bytes[i + k] & 0xff);
      }
      if (doubles.contains(word)) {
        found(where, i, "an IEEE double" + context);
      } else if (floatPairs.contains(word)) {
        found(where, i, "two floats" + context);
      }
    }
  }

  /**
   * Scans what inflates from every zlib header in {@code bytes} (a header is two bytes: 0x78, then a byte that makes
   * their big-endian value a multiple of 31); a stream cut short by the file's own paging still yields its start.
   */
  private void inflated(String where, byte[] bytes) {
    byte[] out = new byte[MAX_INFLATED];
    for (int i = 0; i + 2 < bytes.length; i++) {
      if (bytes[i] != 0x78 || ((0x78 << 8) | (bytes[i + 1] & 0xff)) % 31 != 0) {
        continue;
      }
      Inflater inflater = new Inflater();
      int length = 0;
      try {
        inflater.setInput(bytes, i, bytes.length - i);
        while (!inflater.finished() && length < out.length) {
          int n = inflater.inflate(out, length, out.length - length);
          if (n == 0) {
            break;
          }
          length += n;
        }
      } catch (DataFormatException e) {
        // not deflated data, or damaged past what was inflated so far
      } finally {
        inflater.end();
      }
      if (length >= 16) {
        binary(where, Arrays.copyOf(out, length), " in deflated data at " + i);
      }
    }
  }

  private boolean near(double value, double tolerance) {
    int at = Arrays.binarySearch(sorted, value);
    if (at >= 0) {
      return true;
    }
    int insert = -at - 1;
    return (insert < sorted.length && sorted[insert] - value <= tolerance)
        || (insert > 0 && value - sorted[insert - 1] <= tolerance);
  }

  private void found(String where, long offset, String how) {
    if (findings.size() < MAX_FINDINGS) {
      findings.add(where + " at byte " + offset + ": " + how);
    }
  }
}
