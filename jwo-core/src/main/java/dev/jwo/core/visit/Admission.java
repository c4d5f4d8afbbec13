package dev.jwo.core.visit;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A party admitted at an entry gate by one credential: the start of a visit. Its {@link #visitId()} is derived
 * from the entry's gate and time, so every module (and every replay) names the visit the same way, and the id names
 * no person (a gate admits one party at a time).
 */
public record Admission(
    VisitId visitId, long ts, GateId gate, Credential credential, int partySize, @Nullable String consentVersion) {

  public Admission {
    Objects.requireNonNull(visitId, "visitId");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(credential, "credential");
    if (partySize < 1) {
      throw new IllegalArgumentException("party size must be at least 1");
    }
  }

  /** The admission an entry event records. */
  public static Admission from(EntryEvent entry) {
    return new Admission(
        visitIdFor(entry.gate(), entry.ts()),
        entry.ts(),
        entry.gate(),
        entry.credential(),
        entry.partySize(),
        entry.consentVersion());
  }

  /**
   * The id of the visit admitted at {@code gate} at {@code ts}: {@code v-<ts>-<gate>}. It is computed from neither
   * the credential nor anything about the person.
   */
  public static VisitId visitIdFor(GateId gate, long ts) {
    return VisitId.of("v-" + ts + "-" + gate.value());
  }

  /** The entry time a visit id made by {@link #visitIdFor} names; empty for an id of another form. */
  public static java.util.OptionalLong entryTsOf(VisitId visit) {
    String v = visit.value();
    int end = v.indexOf('-', 2);
    if (!v.startsWith("v-") || end < 0) {
      return java.util.OptionalLong.empty();
    }
    try {
      return java.util.OptionalLong.of(Long.parseLong(v.substring(2, end)));
    } catch (NumberFormatException e) {
      return java.util.OptionalLong.empty();
    }
  }
}
