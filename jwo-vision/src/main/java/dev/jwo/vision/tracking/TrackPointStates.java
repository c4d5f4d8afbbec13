package dev.jwo.vision.tracking;

import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.vision.TrackPoint;
import dev.jwo.vision.v1.TrackPointState;
import java.util.ArrayList;
import java.util.List;

/** How a {@link TrackPoint} is written into the vision stage's snapshots and read back (hands included). */
public final class TrackPointStates {
  private TrackPointStates() {}

  /** The point as a snapshot keeps it. */
  public static TrackPointState state(TrackPoint point) {
    TrackPointState.Builder kept = TrackPointState.newBuilder().setTs(point.ts())
        .setX(point.position().x()).setY(point.position().y());
    for (Point3 hand : point.hands()) {
      kept.addHands(hand.x()).addHands(hand.y()).addHands(hand.z());
    }
    return kept.build();
  }

  /**
   * The point a {@linkplain #state kept} one stands for.
   *
   * @throws IllegalArgumentException if its hands are not three coordinates each
   */
  public static TrackPoint point(TrackPointState kept) {
    if (kept.getHandsCount() % 3 != 0) {
      throw new IllegalArgumentException("a track point's hands are " + kept.getHandsCount() + " coordinates");
    }
    List<Point3> hands = new ArrayList<>();
    for (int i = 0; i < kept.getHandsCount(); i += 3) {
      hands.add(new Point3(kept.getHands(i), kept.getHands(i + 1), kept.getHands(i + 2)));
    }
    return new TrackPoint(kept.getTs(), new Position(kept.getX(), kept.getY()), hands);
  }
}
