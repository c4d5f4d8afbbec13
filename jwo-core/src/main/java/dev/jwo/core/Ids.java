package dev.jwo.core;

/** Validation shared by the identifier types of this package. */
final class Ids {
  private Ids() {}

  static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
