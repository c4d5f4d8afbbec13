package dev.jwo.sim.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps simulated people out of each other's bodies. The planner walks everyone along their own route as if alone;
 * this model then moves each person aside from that plan, in small steps, wherever someone else is within
 * {@link #KEEP_METRES}: people standing at the same bin end up shoulder to shoulder, people meeting in an aisle
 * step aside to pass (each to their right when they meet head on), and everyone drifts back onto their planned
 * path when the way is free. It is a simplified social-force model (Helbing and Molnár 1995): a repulsion that acts
 * only on overlap, a limited sidestep speed and a relaxation back to the plan. Deterministic: no random draws.
 *
 * <p>Figures: the keeping distance is a body's breadth (a body ellipse of 0.46 m by 0.61 m, Fruin 1971) plus a
 * few centimetres; people start to make way earlier when they close in fast, about 0.3 s ahead; a sidestep is at
 * most 0.8 m/s and 0.6 m from the plan; the relaxation back to the plan takes about 1 s (the social-force model's
 * relaxation time is 0.5 s for the desired velocity).
 */
final class PersonalSpace {
  /** Centre-to-centre distance people keep. */
  static final double KEEP_METRES = 0.5;
  /** How far ahead in time people make way for someone closing in. */
  private static final double ANTICIPATION_SECONDS = 0.3;
  /** The largest extra distance kept because of closing speed. */
  private static final double MAX_ANTICIPATION_METRES = 0.4;
  /** How fast a person steps aside. */
  private static final double SIDESTEP_METRES_PER_SECOND = 0.8;
  /** How far a person is ever moved from the plan. */
  private static final double MAX_OFFSET_METRES = 0.6;
  /** Time constant of the return onto the planned path. */
  private static final double RETURN_SECONDS = 1.0;
  /** Below this relative speed two people are standing, not passing. */
  private static final double PASSING_METRES_PER_SECOND = 0.2;

  private PersonalSpace() {}

  /** Computes every person's offsets from their planned path, step by step over the whole run. */
  static void apply(List<Person> people) {
    if (people.isEmpty()) {
      return;
    }
    List<Person> byAppearance = new ArrayList<>(people);
    byAppearance.sort(Comparator.comparingLong(Person::appearTs).thenComparingInt(p -> p.index));
    long start = byAppearance.get(0).appearTs();
    long end = people.stream().mapToLong(Person::goneTs).max().orElse(start);
    long step = Person.OFFSET_STEP_MILLIS;
    double seconds = step / 1000.0;
    double decay = Math.exp(-seconds / RETURN_SECONDS);
    double maxMove = SIDESTEP_METRES_PER_SECOND * seconds;
    for (Person person : people) {
      person.startOffsets();
    }
    List<Person> present = new ArrayList<>();
    int next = 0;
    for (long ts = start - Math.floorMod(start, step); ts <= end; ts += step) {
      while (next < byAppearance.size() && byAppearance.get(next).appearTs() <= ts) {
        present.add(byAppearance.get(next++));
      }
      final long now = ts;
      present.removeIf(p -> p.goneTs() < now);
      int n = present.size();
      double[] x = new double[n];
      double[] y = new double[n];
      double[] vx = new double[n];
      double[] vy = new double[n];
      double[] ox = new double[n];
      double[] oy = new double[n];
      for (int i = 0; i < n; i++) {
        Person p = present.get(i);
        double[] offset = p.offsetAt(ts - step);
        ox[i] = offset[0] * decay;
        oy[i] = offset[1] * decay;
        double[] here = p.plannedAt(ts);
        double[] ahead = p.plannedAt(ts + step);
        x[i] = here[0] + ox[i];
        y[i] = here[1] + oy[i];
        vx[i] = (ahead[0] - here[0]) / seconds;
        vy[i] = (ahead[1] - here[1]) / seconds;
      }
      double[] px = new double[n];
      double[] py = new double[n];
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
      double reach = KEEP_METRES + MAX_ANTICIPATION_METRES;
      for (int a = 0; a < n; a++) {
        int i = order[a];
        for (int b = a + 1; b < n && x[order[b]] - x[i] < reach; b++) {
          int j = order[b];
          push(i, j, x, y, vx, vy, px, py, present);
        }
      }
      for (int i = 0; i < n; i++) {
        double move = Math.hypot(px[i], py[i]);
        double scale = move > maxMove ? maxMove / move : 1;
        double nx = ox[i] + px[i] * scale;
        double ny = oy[i] + py[i] * scale;
        double offset = Math.hypot(nx, ny);
        if (offset > MAX_OFFSET_METRES) {
          nx *= MAX_OFFSET_METRES / offset;
          ny *= MAX_OFFSET_METRES / offset;
        }
        present.get(i).setOffset(ts, nx, ny);
      }
    }
  }

  /** Adds to {@code px, py} how far each of two people should move apart now. */
  private static void push(int i, int j, double[] x, double[] y, double[] vx, double[] vy, double[] px,
      double[] py, List<Person> present) {
    double dx = x[i] - x[j];
    double dy = y[i] - y[j];
    double distance = Math.hypot(dx, dy);
    double wx = vx[i] - vx[j];
    double wy = vy[i] - vy[j];
    double relativeSpeed = Math.hypot(wx, wy);
    double ux;
    double uy;
    if (distance > 1e-6) {
      ux = dx / distance;
      uy = dy / distance;
    } else {
      // On the very same spot: apart along the line of the lower-numbered person's right hand.
      boolean iFirst = present.get(i).index < present.get(j).index;
      double sign = iFirst ? 1 : -1;
      ux = sign;
      uy = 0;
    }
    double closing = Math.max(0, -(wx * ux + wy * uy));
    double keep = KEEP_METRES + Math.min(MAX_ANTICIPATION_METRES, ANTICIPATION_SECONDS * closing);
    if (distance >= keep) {
      return;
    }
    if (relativeSpeed > PASSING_METRES_PER_SECOND) {
      // Passing: step sideways to the direction of relative motion, not backwards.
      double hx = wx / relativeSpeed;
      double hy = wy / relativeSpeed;
      double along = ux * hx + uy * hy;
      double sx = ux - along * hx;
      double sy = uy - along * hy;
      double side = Math.hypot(sx, sy);
      if (side < 0.2) {
        // Head on: i steps to its right of the relative motion, j (whose relative motion is reversed) to its own.
        sx = hy;
        sy = -hx;
        side = 1;
      }
      ux = sx / side;
      uy = sy / side;
    }
    double half = (keep - distance) / 2;
    px[i] += ux * half;
    py[i] += uy * half;
    px[j] -= ux * half;
    py[j] -= uy * half;
  }
}
