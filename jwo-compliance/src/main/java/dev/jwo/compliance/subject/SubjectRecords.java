package dev.jwo.compliance.subject;

import java.util.List;
import java.util.Set;

/**
 * What one part of the store holds about a person, for their access request (R12): each module that keeps
 * personal data contributes its sections ({@code CoreModule}-style set binding:
 * {@code Multibinder.newSetBinder(binder(), SubjectRecords.class).addBinding().to(...)}). A section says which
 * categories it shows so that the export is checked for exactly what leaves; it never shows biometric values or a
 * raw credential.
 */
public interface SubjectRecords {
  /**
   * The visits this part of the store knows were {@code subject}'s (for payments, the visits they paid for), so
   * that parts which keep data by visit alone (the cart ledgers) can show theirs; none by default.
   */
  default Set<String> visitsOf(String subject) {
    return Set.of();
  }

  /**
   * The sections about {@code subject} (a pseudonym), in order; empty sections are listed as "none".
   *
   * @param visits every visit any part of the store knows was the subject's ({@link #visitsOf}), by id
   */
  List<SubjectSection> about(String subject, Set<String> visits);
}
