package dev.jwo.sim.internal;

import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One simulated person: where they are at every instant (straight walks between waypoints at their own speed,
 * pauses, and the steps aside {@link PersonalSpace} makes them take around others), and when and where they reach
 * into bins. Built by the planner and given its offsets once, then only read.
 */
final class Person {
  /** Time between two of the offsets from the plan that {@link PersonalSpace} computes. */
  static final long OFFSET_STEP_MILLIS = 50;

  /** Where the person is at {@code ts}; {@code facing} is the direction (radians) they face from then on. */
  record Waypoint(long ts, double x, double y, double facing) {}

  /**
   * A reach into a bin: the hand moves out from {@code start} to {@code in}, stays in the bin until {@code out},
   * and is back at the hip at {@code end}. {@code along} is where along the bin's width the hand goes in.
   */
  record Reach(StoreModel.Slot slot, long start, long in, long out, long end, boolean rightHand, double along) {}

  final String id;
  final int index;
  final Party party;
  final double speed;
  final double laneOffset;
  final double shoulderHeight;
  /** The person's clothing-colour histogram (sums to 1) and face embedding (unit length). */
  final double[] clothing;
  final double[] face;
  final List<Waypoint> waypoints = new ArrayList<>();
  final List<Reach> reaches = new ArrayList<>();
  int aisle;
  long exitTs = -1;
  /** Offsets from the planned path, x and y alternating, one pair per step from {@link #offsetStart}. */
  private float @Nullable [] offsets;
  private long offsetStart;

  Person(String id, int index, Party party, double speed, double laneOffset, double shoulderHeight,
      double[] clothing, double[] face) {
    this.id = id;
    this.index = index;
    this.party = party;
    this.speed = speed;
    this.laneOffset = laneOffset;
    this.shoulderHeight = shoulderHeight;
    this.clothing = clothing;
    this.face = face;
  }

  // ---- building ----

  void start(long ts, Position at, double facing) {
    waypoints.add(new Waypoint(ts, at.x(), at.y(), facing));
  }

  Waypoint last() {
    return waypoints.get(waypoints.size() - 1);
  }

  long now() {
    return last().ts();
  }

  Position at() {
    Waypoint w = last();
    return new Position(w.x(), w.y());
  }

  /** Walks straight to {@code to} at the person's speed. */
  void walkTo(Position to) {
    walkTo(to, speed);
  }

  void walkTo(Position to, double metresPerSecond) {
    Waypoint from = last();
    double dx = to.x() - from.x();
    double dy = to.y() - from.y();
    double distance = Math.hypot(dx, dy);
    if (distance < 1e-6) {
      return;
    }
    long ts = from.ts() + Math.max(1, Math.round(distance / metresPerSecond * 1000));
    waypoints.add(new Waypoint(ts, to.x(), to.y(), Math.atan2(dy, dx)));
  }

  void walkAlong(List<Position> points) {
    for (Position p : points) {
      walkTo(p);
    }
  }

  /** Stays where they are until {@code ts}, turned towards {@code facing}. */
  void stayUntil(long ts, double facing) {
    Waypoint w = last();
    if (ts > w.ts()) {
      waypoints.add(new Waypoint(ts, w.x(), w.y(), facing));
    }
  }

  void stayUntil(long ts) {
    stayUntil(ts, last().facing());
  }

  // ---- reading ----

  long appearTs() {
    return waypoints.get(0).ts();
  }

  long goneTs() {
    return last().ts();
  }

  /** Index of the last waypoint at or before {@code ts}. */
  private int segment(long ts) {
    int lo = 0;
    int hi = waypoints.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (waypoints.get(mid).ts() <= ts) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Where the person is at {@code ts}: on the planned path, moved aside by the offset of that moment. */
  Position positionAt(long ts) {
    double[] planned = plannedAt(ts);
    float[] steps = offsets;
    if (steps == null) {
      return new Position(planned[0], planned[1]);
    }
    long since = ts - offsetStart;
    int k = (int) Math.floorDiv(since, OFFSET_STEP_MILLIS);
    double f = (since - k * OFFSET_STEP_MILLIS) / (double) OFFSET_STEP_MILLIS;
    double[] a = offset(steps, k);
    double[] b = offset(steps, k + 1);
    return new Position(planned[0] + a[0] + f * (b[0] - a[0]), planned[1] + a[1] + f * (b[1] - a[1]));
  }

  /** Where the plan puts the person at {@code ts}, as if alone in the store: {x, y}. */
  double[] plannedAt(long ts) {
    int i = segment(ts);
    Waypoint a = waypoints.get(i);
    if (i + 1 >= waypoints.size() || ts <= a.ts()) {
      return new double[] {a.x(), a.y()};
    }
    Waypoint b = waypoints.get(i + 1);
    double f = (ts - a.ts()) / (double) (b.ts() - a.ts());
    return new double[] {a.x() + f * (b.x() - a.x()), a.y() + f * (b.y() - a.y())};
  }

  /** Makes room for offsets over the person's whole time, all zero. */
  void startOffsets() {
    offsetStart = appearTs() - Math.floorMod(appearTs(), OFFSET_STEP_MILLIS);
    int steps = (int) ((goneTs() - offsetStart) / OFFSET_STEP_MILLIS) + 2;
    offsets = new float[2 * steps];
  }

  /** The offset from the plan at the step at or before {@code ts} (zero outside the person's time): {x, y}. */
  double[] offsetAt(long ts) {
    float[] steps = offsets;
    return steps == null ? new double[2]
        : offset(steps, (int) Math.floorDiv(ts - offsetStart, OFFSET_STEP_MILLIS));
  }

  void setOffset(long ts, double x, double y) {
    float[] steps = offsets;
    int k = (int) Math.floorDiv(ts - offsetStart, OFFSET_STEP_MILLIS);
    if (steps != null && k >= 0 && 2 * k + 1 < steps.length) {
      steps[2 * k] = (float) x;
      steps[2 * k + 1] = (float) y;
    }
  }

  private static double[] offset(float[] steps, int k) {
    if (k < 0 || 2 * k + 1 >= steps.length) {
      return new double[2];
    }
    return new double[] {steps[2 * k], steps[2 * k + 1]};
  }

  /** The direction the person faces at {@code ts}: where they walk, or where they last turned. */
  double facingAt(long ts) {
    int i = segment(ts);
    if (i + 1 < waypoints.size()) {
      Waypoint b = waypoints.get(i + 1);
      Waypoint a = waypoints.get(i);
      if (b.x() != a.x() || b.y() != a.y()) {
        return b.facing();
      }
    }
    return waypoints.get(i).facing();
  }

  /** True while the person is on the sales floor (between walking in and walking out). */
  boolean onFloor(long ts, double width, double depth) {
    if (ts < appearTs() || ts > goneTs()) {
      return false;
    }
    Position p = positionAt(ts);
    return p.y() >= 0 && p.y() <= depth && p.x() >= 0 && p.x() <= width;
  }

  /** Both hands at {@code ts} (true positions): at the hips, or one of them reaching into a bin. */
  Point3[] handsAt(long ts) {
    Position body = positionAt(ts);
    double facing = facingAt(ts);
    double px = -Math.sin(facing);
    double py = Math.cos(facing);
    double hip = 0.2;
    double hipZ = shoulderHeight * 0.62;
    Point3 left = new Point3(body.x() + px * hip, body.y() + py * hip, hipZ);
    Point3 right = new Point3(body.x() - px * hip, body.y() - py * hip, hipZ);
    Reach reach = reachAt(ts);
    if (reach != null) {
      Point3 rest = reach.rightHand() ? right : left;
      Point3 target = handInBin(reach);
      double f;
      if (ts < reach.in()) {
        f = (ts - reach.start()) / (double) Math.max(1, reach.in() - reach.start());
      } else if (ts <= reach.out()) {
        f = 1;
      } else {
        f = 1 - (ts - reach.out()) / (double) Math.max(1, reach.end() - reach.out());
      }
      Point3 hand = new Point3(rest.x() + f * (target.x() - rest.x()), rest.y() + f * (target.y() - rest.y()),
          rest.z() + f * (target.z() - rest.z()));
      if (reach.rightHand()) {
        right = hand;
      } else {
        left = hand;
      }
    }
    return new Point3[] {left, right};
  }

  /** Where the hand is while inside the bin: a little behind the bin's front edge, just above its floor. */
  static Point3 handInBin(Reach reach) {
    Point3 front = reach.slot().bin().front();
    double inward = reach.slot().face() == 0 ? 0.08 : -0.08;
    return new Point3(front.x() + reach.along(), front.y() + inward, front.z() + 0.08);
  }

  private @Nullable Reach reachAt(long ts) {
    for (Reach r : reaches) {
      if (ts >= r.start() && ts <= r.end()) {
        return r;
      }
      if (r.start() > ts) {
        break;
      }
    }
    return null;
  }
}
