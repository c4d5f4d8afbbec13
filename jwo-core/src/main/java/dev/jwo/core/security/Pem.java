package dev.jwo.core.security;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text: labelled, base64-encoded DER blocks ({@code -----BEGIN PRIVATE KEY-----} ...). */
public final class Pem {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

  private Pem() {}

  /** One block of a PEM text. */
  public static final class Block {
    private final String label;
    private final byte[] der;

    public Block(String label, byte[] der) {
      this.label = label;
      this.der = der.clone();
    }

    /** The label, e.g. {@code PRIVATE KEY}. */
    public String label() {
      return label;
    }

    /** The decoded bytes. */
    public byte[] der() {
      return der.clone();
    }
  }

  /** Every block of {@code text}, in order; headers between blocks are ignored. */
  public static List<Block> read(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the PEM block " + m.group(1) + " is not valid base64", e);
      }
    }
    return blocks;
  }

  /** One block as PEM text, with 64-character lines. */
  public static String write(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }
}
