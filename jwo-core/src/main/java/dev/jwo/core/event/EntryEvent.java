package dev.jwo.core.event;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A credential was accepted at an entry gate, admitting {@code partySize} people who walk through within the
 * next few seconds. {@code consentVersion} names the biometric disclosure the credential holder signed, or is
 * null where they signed none.
 */
public record EntryEvent(
    long ts, GateId gate, Credential credential, int partySize, @Nullable String consentVersion)
    implements SensorEvent {

  public EntryEvent {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(credential, "credential");
    if (partySize < 1) {
      throw new IllegalArgumentException("party size must be at least 1, was " + partySize);
    }
  }

  @Override
  public String type() {
    return "entry";
  }
}
