package dev.jwo.sim.truth;

import dev.jwo.core.GateId;
import java.util.Objects;

/**
 * A scripted tailgater: a person who walked in behind a party without a scan.
 *
 * @param person the person's id in {@value TruthFiles#TRACKS}
 * @param gate the entry gate they came through
 * @param crossTs when they crossed the gate's line
 * @param behind the credential of the party they followed in
 */
public record TailgaterTruth(String person, GateId gate, long crossTs, String behind) {
  public TailgaterTruth {
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(behind, "behind");
  }
}
