package dev.jwo.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.storelog.EventLogReader;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.sim.truth.TruthFiles;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackStatus;
import dev.jwo.vision.tracking.KalmanTracker;
import dev.jwo.vision.tracking.TrackerSettings;
import dev.jwo.vision.tracking.TrackingScore;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How well the default floor tracker follows the simulated people: every frame of a simulated log goes through a
 * {@link KalmanTracker} with the store's settings, and each detection's track (once confirmed) is scored against
 * who the detection really was ({@value TruthFiles#TRACKS}) with CLEAR-MOT identity switches and IDF1. A detection
 * is its own match, so the figures measure identity only, not position.
 */
final class TrackingQuality {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Matches a true person and a track only at the very detection both are placed at. */
  private static final double SAME_DETECTION_METRES = 1e-6;

  private TrackingQuality() {}

  static TrackingScore.Result measure(Path dir) throws IOException {
    KalmanTracker tracker = new KalmanTracker(TrackerSettings.DEFAULTS);
    TrackingScore score = new TrackingScore(SAME_DETECTION_METRES);
    try (EventLogReader events = StoreLogReader.openEvents(dir.resolve(TruthFiles.EVENTS));
        BufferedReader truth = Files.newBufferedReader(dir.resolve(TruthFiles.TRACKS), StandardCharsets.UTF_8)) {
      for (SensorEvent event = events.next(); event != null; event = events.next()) {
        if (!(event instanceof FrameEvent frame)) {
          continue;
        }
        JsonNode who = nextFrameTruth(truth, frame);
        List<TrackId> assigned = tracker.update(frame);
        tracker.advanceTo(frame.ts());
        List<TrackingScore.Located> people = new ArrayList<>();
        List<TrackingScore.Located> tracked = new ArrayList<>();
        for (int i = 0; i < frame.people().size(); i++) {
          PersonObservation seen = frame.people().get(i);
          JsonNode person = who.get(i);
          if (person != null && person.isTextual()) {
            people.add(new TrackingScore.Located(person.asText(), seen.position()));
          }
          TrackId id = assigned.get(i);
          Track track = id == null ? null : tracker.track(id).orElse(null);
          if (track != null && track.status() == TrackStatus.CONFIRMED) {
            tracked.add(new TrackingScore.Located(id.value(), seen.position()));
          }
        }
        score.frame(people, tracked);
      }
    }
    return score.result();
  }

  /** The truth line of the frame, which the simulator wrote in the same order as the frames of the log. */
  private static JsonNode nextFrameTruth(BufferedReader truth, FrameEvent frame) throws IOException {
    for (String line = truth.readLine(); line != null; line = truth.readLine()) {
      JsonNode node = MAPPER.readTree(line);
      if (!"frame".equals(node.path("type").asText())) {
        continue;
      }
      if (node.path("ts").asLong() != frame.ts() || !node.path("camera").asText().equals(frame.camera().value())
          || node.path("people").size() != frame.people().size()) {
        throw new IOException("the track truth does not follow the log: expected a frame of camera "
            + frame.camera().value() + " at " + frame.ts() + " with " + frame.people().size() + " people, found "
            + line);
      }
      return node.path("people");
    }
    throw new IOException("the track truth ends before the frame of camera " + frame.camera().value() + " at "
        + frame.ts());
  }
}
