package dev.jwo.compliance.policy;

/**
 * One rule of a policy: a stable id, the statute section it rests on, and what it says in a line.
 *
 * @param id stable identifier, e.g. {@code US-IL/consent}
 * @param citation the statute section, e.g. {@code 740 ILCS 14/15(b)}
 * @param summary what the rule requires, in a line
 */
public record Rule(String id, String citation, String summary) {
  public Rule {
    if (id == null || id.isBlank() || citation == null || citation.isBlank() || summary == null || summary.isBlank()) {
      throw new IllegalArgumentException("a rule needs an id, a citation and a summary");
    }
  }

  @Override
  public String toString() {
    return citation;
  }
}
