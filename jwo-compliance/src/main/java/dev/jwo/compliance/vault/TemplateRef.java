package dev.jwo.compliance.vault;

import dev.jwo.compliance.DataCategory;
import java.util.Objects;

/** Where a kept template lies in the vault: its item id, owner (a pseudonym), visit and category. */
public record TemplateRef(String item, String subject, String visit, DataCategory category, long collectedTs) {
  public TemplateRef {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(visit, "visit");
    Objects.requireNonNull(category, "category");
  }
}
