package dev.jwo.core.storage;

import java.util.regex.Pattern;

/**
 * The rules for stream names, table names, keys and sizes, the same for every {@link StoreStorage}, so that
 * data written through one implementation fits any other.
 *
 * <ul>
 *   <li>A <b>stream name</b> and a <b>row key</b>: 1 to {@value #MAX_NAME_LENGTH} characters, each a printable
 *       ASCII character other than space ({@code '!'} to {@code '~'}), e.g. {@code cart/v-1712-ab12}. Names
 *       sort by {@link String#compareTo}, which for these characters is byte order in every implementation.
 *   <li>A <b>prefix</b> (for listing streams or scanning rows): empty, or made of the same characters, at most
 *       {@value #MAX_NAME_LENGTH} long.
 *   <li>A <b>table name</b>: a lowercase letter, then up to 62 lowercase letters, digits and underscores.
 *   <li>A <b>payload</b> (journal record or row value): at most {@value #MAX_PAYLOAD_BYTES} bytes.
 *   <li>A <b>record type</b>: 1 to {@value #MAX_NAME_LENGTH} characters, not blank.
 * </ul>
 *
 * <p>Every method throws {@link IllegalArgumentException}, with a message naming the rule, when a value breaks it.
 */
public final class StorageNames {
  /** The longest stream name, row key, prefix or record type. */
  public static final int MAX_NAME_LENGTH = 200;
  /** The largest payload of a record or value of a row, in bytes. */
  public static final int MAX_PAYLOAD_BYTES = 1_000_000;

  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private StorageNames() {}

  /** Returns {@code name} if it is a valid stream name. */
  public static String requireStream(String name) {
    return requireName(name, "stream name");
  }

  /** Returns {@code key} if it is a valid row key. */
  public static String requireKey(String key) {
    return requireName(key, "row key");
  }

  /** Returns {@code name} if it is a valid table name. */
  public static String requireTable(String name) {
    if (name == null || !TABLE.matcher(name).matches()) {
      throw new IllegalArgumentException("table name '" + name
          + "' must be a lowercase letter followed by up to 62 lowercase letters, digits and underscores");
    }
    return name;
  }

  /** Returns {@code prefix} if it is a valid prefix of stream names or keys (the empty prefix matches all). */
  public static String requirePrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("a prefix must not be null (use \"\" for all)");
    }
    if (!prefix.isEmpty()) {
      requireName(prefix, "prefix");
    }
    return prefix;
  }

  /** Returns {@code type} if it is a valid record type. */
  public static String requireRecordType(String type) {
    if (type == null || type.isBlank() || type.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("a journal record needs a type of 1 to " + MAX_NAME_LENGTH
          + " characters, not blank");
    }
    return type;
  }

  /** Returns {@code payload} if it is no larger than {@link #MAX_PAYLOAD_BYTES}. */
  public static byte[] requirePayload(byte[] payload, String what) {
    if (payload == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(what + " of " + payload.length + " bytes is larger than the limit of "
          + MAX_PAYLOAD_BYTES + " bytes");
    }
    return payload;
  }

  /** Returns {@code version} if it is a row's version (1 or more), as a conditional delete expects. */
  public static long requireVersion(long version) {
    if (version < 1) {
      throw new IllegalArgumentException("a row's version is 1 or more, was " + version);
    }
    return version;
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a " + what + " must not be empty");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(what + " '" + name.substring(0, 40) + "...' is " + name.length()
          + " characters long; the limit is " + MAX_NAME_LENGTH);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '!' || c > '~') {
        throw new IllegalArgumentException(what + " '" + printable(name) + "' has a character that is not"
            + " printable ASCII or is a space at index " + i + "; use '!' to '~' only");
      }
    }
    return name;
  }

  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= ' ' && c <= '~') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }
}
