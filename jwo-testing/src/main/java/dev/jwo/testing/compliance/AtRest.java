package dev.jwo.testing.compliance;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Whether a value rests in what a storage keeps (its files, or every row), raw, in hex or in base64. */
public final class AtRest {
  private AtRest() {}

  /** Whether {@code value}, as UTF-8, is in {@code atRest} in any of the usual encodings. */
  public static boolean holds(byte[] atRest, String value) {
    return holds(atRest, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code value} is in {@code atRest} raw, in hex (either case) or in base64. */
  public static boolean holds(byte[] atRest, byte[] value) {
    String hex = HexFormat.of().formatHex(value);
    for (byte[] form : List.of(value, hex.getBytes(StandardCharsets.US_ASCII),
        hex.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
        Base64.getEncoder().encodeToString(value).getBytes(StandardCharsets.US_ASCII))) {
      if (indexOf(atRest, form) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the vector {@code values} is in {@code atRest}: as IEEE doubles or floats in either byte order, or as
   * decimal text (JSON's or Java's), each raw, in hex or in base64 as {@link #holds(byte[], byte[])} looks.
   */
  public static boolean holdsVector(byte[] atRest, double[] values) {
    List<byte[]> forms = new java.util.ArrayList<>();
    for (java.nio.ByteOrder order : List.of(java.nio.ByteOrder.BIG_ENDIAN, java.nio.ByteOrder.LITTLE_ENDIAN)) {
      java.nio.ByteBuffer doubles = java.nio.ByteBuffer.allocate(values.length * Double.BYTES).order(order);
      java.nio.ByteBuffer floats = java.nio.ByteBuffer.allocate(values.length * Float.BYTES).order(order);
      for (double v : values) {
        doubles.putDouble(v);
        floats.putFloat((float) v);
      }
      forms.add(doubles.array());
      forms.add(floats.array());
    }
    StringBuilder text = new StringBuilder();
    for (double v : values) {
      text.append(text.length() == 0 ? "" : ",").append(v);
    }
    forms.add(text.toString().getBytes(StandardCharsets.UTF_8));
    forms.add(java.util.Arrays.toString(values).getBytes(StandardCharsets.UTF_8));
    return forms.stream().anyMatch(form -> holds(atRest, form));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
