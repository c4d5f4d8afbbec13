package dev.jwo.vision.linking;

import dev.jwo.core.TrackId;
import dev.jwo.core.visit.Admission;
import java.util.Objects;

/** A track linked to the visit of an admitted party, and when. */
public record PartyLink(TrackId track, Admission admission, long ts) {
  public PartyLink {
    Objects.requireNonNull(track, "track");
    Objects.requireNonNull(admission, "admission");
  }
}
