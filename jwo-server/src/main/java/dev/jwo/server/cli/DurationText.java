package dev.jwo.server.cli;

import java.time.Duration;
import java.util.Locale;

/** Durations as the command line takes them: a number and a unit, like 90s, 30m, 12h or 7d. */
final class DurationText {
  private DurationText() {}

  /**
   * The duration {@code text} names.
   *
   * @throws IllegalArgumentException naming {@code option} if the text is no such duration
   */
  static Duration parse(String option, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (!t.matches("\\d{1,6}[smhd]")) {
      throw new IllegalArgumentException(option + " " + text + " is not a duration like 90s, 30m, 12h or 7d");
    }
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
