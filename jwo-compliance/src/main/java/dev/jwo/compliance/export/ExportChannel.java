package dev.jwo.compliance.export;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.Purpose;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A declared way personal data leaves the store: to whom, why, and the most it may carry. An export on a channel
 * carrying a category the channel does not declare is refused (data minimisation), whatever the purpose allows.
 *
 * @param recipient who receives it, e.g. {@code payment-provider}
 * @param purpose why it leaves
 * @param carries the categories it may carry at most
 * @param description what goes out, in a line for the documents
 */
public record ExportChannel(String recipient, Purpose purpose, Set<DataCategory> carries, String description) {
  public ExportChannel {
    if (recipient == null || recipient.isBlank()) {
      throw new IllegalArgumentException("an export channel must name its recipient");
    }
    Objects.requireNonNull(purpose, "purpose");
    if (carries == null || carries.isEmpty()) {
      throw new IllegalArgumentException("an export channel must say which categories it may carry");
    }
    carries = Set.copyOf(EnumSet.copyOf(carries));
    Objects.requireNonNull(description, "description");
  }
}
