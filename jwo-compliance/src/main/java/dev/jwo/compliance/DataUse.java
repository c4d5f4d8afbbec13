package dev.jwo.compliance;

import dev.jwo.core.visit.Admission;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A question for the guard: may data of {@code category}, about the party admitted by {@code subject}, be used
 * for {@code purpose} at event time {@code ts}? A null subject means the person is not identified (an
 * unlinked track); nobody has consented for them.
 */
public record DataUse(DataCategory category, Purpose purpose, @Nullable Admission subject, long ts) {
  public DataUse {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(purpose, "purpose");
  }
}
