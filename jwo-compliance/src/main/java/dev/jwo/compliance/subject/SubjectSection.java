package dev.jwo.compliance.subject;

import dev.jwo.compliance.DataCategory;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One section of a subject access report.
 *
 * @param title the heading, e.g. {@code Visits and times}
 * @param categories what the lines show (checked by the export guard)
 * @param lines one line per item, in words; empty when nothing is held
 */
public record SubjectSection(String title, Set<DataCategory> categories, List<String> lines) {
  public SubjectSection {
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("a section needs a title");
    }
    categories = categories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(categories));
    lines = List.copyOf(lines);
    Objects.requireNonNull(categories, "categories");
  }
}
