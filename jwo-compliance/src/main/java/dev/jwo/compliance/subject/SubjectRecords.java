package dev.jwo.compliance.subject;

import java.util.List;

/**
 * What one part of the store holds about a person, for their access request (R12): each module that keeps
 * personal data contributes its sections ({@code CoreModule}-style set binding:
 * {@code Multibinder.newSetBinder(binder(), SubjectRecords.class).addBinding().to(...)}). A section says which
 * categories it shows so that the export is checked for exactly what leaves; it never shows biometric values or a
 * raw credential.
 */
public interface SubjectRecords {
  /** The sections about {@code subject} (a pseudonym), in order; empty sections are listed as "none". */
  List<SubjectSection> about(String subject);
}
