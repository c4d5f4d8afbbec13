package dev.jwo.testing.compliance;

import dev.jwo.core.Camera;
import dev.jwo.core.Credential;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a scripted store (e.g. {@code StoreScript}'s) into one whose cameras send face geometry, and its entries into
 * ones that name the disclosure each credential holder signed. Every person gets the same synthetic face vector, so
 * use it with shoppers who are not in the store at the same time.
 */
public final class FaceCameras {
  /** The synthetic face embedding every observed person gets. */
  public static final FeatureVector FACE = FeatureVector.of(0.42, 0.17, 0.33, 0.08, 0.61, 0.25, 0.12, 0.5);

  private FaceCameras() {}

  /** The same store with every camera declaring {@code face_geometry} features. */
  public static StoreLayout withFaceCameras(StoreLayout layout) {
    List<Camera> cameras = layout.cameras().stream()
        .map(c -> new Camera(c.id(), c.position(), FeatureKind.FACE_GEOMETRY)).toList();
    return new StoreLayout(layout.storeId(), layout.jurisdiction(), layout.currency(), layout.floor(),
        layout.gates(), layout.products(), layout.bins(), cameras);
  }

  /**
   * The same events with a face vector on every observed person, and each entry naming the disclosure version in
   * {@code consents} for its credential (none for a credential not in the map).
   */
  public static List<SensorEvent> withFaces(List<SensorEvent> events, Map<Credential, String> consents) {
    List<SensorEvent> out = new ArrayList<>(events.size());
    for (SensorEvent event : events) {
      if (event instanceof FrameEvent frame) {
        List<PersonObservation> people = frame.people().stream()
            .map(p -> new PersonObservation(p.position(), p.hands(), FACE)).toList();
        out.add(new FrameEvent(frame.ts(), frame.camera(), people));
      } else if (event instanceof EntryEvent entry) {
        @Nullable String consent = consents.get(entry.credential());
        out.add(new EntryEvent(entry.ts(), entry.gate(), entry.credential(), entry.partySize(), consent));
      } else {
        out.add(event);
      }
    }
    return out;
  }
}
