package dev.jwo.compliance.policy;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The longest a law lets biometric data be kept, from each trigger it names; a null period means the law sets no
 * limit from that trigger. The deadline of a datum is the earliest over all triggers that apply.
 *
 * @param afterPurposeSatisfied from the moment the purpose of collection is satisfied (or expires)
 * @param afterLastInteraction from the person's last interaction with the business
 */
public record RetentionLimit(
    @Nullable Duration afterPurposeSatisfied, @Nullable Duration afterLastInteraction, Rule rule) {
  public RetentionLimit {
    Objects.requireNonNull(rule, "rule");
  }
}
