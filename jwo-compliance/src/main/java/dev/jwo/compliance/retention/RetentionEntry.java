package dev.jwo.compliance.retention;

import dev.jwo.compliance.DataCategory;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One kept datum's place in the schedule.
 *
 * @param item the vault item id
 * @param subject the person's pseudonym
 * @param visit the visit it was collected in (its purpose)
 * @param collectedTs when it was collected
 * @param purposeSatisfiedTs when its purpose was satisfied, or null while it is not
 * @param deadlineTs when it must be destroyed at the latest
 * @param rule the citation of the rule that sets the deadline
 */
public record RetentionEntry(
    String item,
    String subject,
    String visit,
    DataCategory category,
    long collectedTs,
    @Nullable Long purposeSatisfiedTs,
    long deadlineTs,
    String rule) {
  public RetentionEntry {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(visit, "visit");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(rule, "rule");
  }
}
