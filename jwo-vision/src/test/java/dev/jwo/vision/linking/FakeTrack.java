package dev.jwo.vision.linking;

import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackPoint;
import dev.jwo.vision.TrackStatus;
import java.util.ArrayList;
import java.util.List;

/** A track whose status and positions a test sets; it remembers every position set. */
final class FakeTrack implements Track {
  private final TrackId id;
  private final TrackPoint born;
  TrackStatus status = TrackStatus.CONFIRMED;
  Position position;
  long lastSeen;
  private final List<TrackPoint> history = new ArrayList<>();

  FakeTrack(String id, long bornTs, Position born) {
    this.id = TrackId.of(id);
    this.born = new TrackPoint(bornTs, born, List.of());
    this.position = born;
    this.lastSeen = bornTs;
    history.add(this.born);
  }

  FakeTrack at(Position position, long ts) {
    this.position = position;
    this.lastSeen = ts;
    history.add(new TrackPoint(ts, position, List.of()));
    return this;
  }

  @Override
  public TrackId id() {
    return id;
  }

  @Override
  public TrackStatus status() {
    return status;
  }

  @Override
  public TrackPoint born() {
    return born;
  }

  @Override
  public Position position() {
    return position;
  }

  @Override
  public long lastSeenTs() {
    return lastSeen;
  }

  @Override
  public List<TrackPoint> history() {
    return List.copyOf(history);
  }

  @Override
  public String toString() {
    return id.value();
  }
}
