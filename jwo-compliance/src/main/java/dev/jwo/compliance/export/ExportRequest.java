package dev.jwo.compliance.export;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.Purpose;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An attempt to send personal data out of the store.
 *
 * @param categories what would leave
 * @param purpose why
 * @param recipient who would receive it (an organisation, a system, or {@code subject} for the person themself)
 * @param subject the pseudonym of the person it is about, or empty for data about many
 * @param legalOrderReference the warrant, subpoena or statute reference, for {@link Purpose#LEGAL_ORDER}
 * @param ts when
 * @param reference what goes out (e.g. {@code <visit>/capture}), recorded so two exports are told apart; may be
 *     empty
 */
public record ExportRequest(
    Set<DataCategory> categories, Purpose purpose, String recipient, String subject,
    @Nullable String legalOrderReference, long ts, String reference) {
  /** The recipient name for the person the data is about. */
  public static final String TO_SUBJECT = "subject";

  public ExportRequest {
    if (categories == null || categories.isEmpty()) {
      throw new IllegalArgumentException("an export must say which data categories leave");
    }
    categories = Set.copyOf(EnumSet.copyOf(categories));
    Objects.requireNonNull(purpose, "purpose");
    if (recipient == null || recipient.isBlank()) {
      throw new IllegalArgumentException("an export must name its recipient");
    }
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(reference, "reference");
  }

  /** An export without a reference. */
  public ExportRequest(Set<DataCategory> categories, Purpose purpose, String recipient, String subject,
      @Nullable String legalOrderReference, long ts) {
    this(categories, purpose, recipient, subject, legalOrderReference, ts, "");
  }
}
