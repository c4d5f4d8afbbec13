package dev.jwo.compliance.consent;

import dev.jwo.compliance.Modality;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** A withdrawal of consent (or an opt-out where no consent is needed) for some modalities, from {@code ts} on. */
public record Withdrawal(String subject, Set<Modality> modalities, Channel channel, long ts) {
  public Withdrawal {
    Objects.requireNonNull(subject, "subject");
    modalities = Set.copyOf(EnumSet.copyOf(modalities));
    Objects.requireNonNull(channel, "channel");
  }
}
