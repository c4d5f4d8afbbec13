package dev.jwo.sim.internal;

import dev.jwo.core.Camera;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.sim.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * One ceiling camera and its detector: at its own frame rate it reports the people within its view, with
 * position noise, a fixed calibration error of its own, misses (more often at the edge of its view and when
 * people crowd), hands that are not found, and now and then a person who is not there. Cameras declaring
 * features send a clothing-colour histogram, or a face embedding when the face is visible.
 */
final class CameraModel {
  /** A frame and, in the same order as its people, who each detection really was (null: spurious). */
  record Frame(FrameEvent event, List<@Nullable String> truth) {}

  private final Camera camera;
  private final Scenario.Sensors sensors;
  private final SplittableRandom random;
  private final double width;
  private final double depth;
  private final double biasX;
  private final double biasY;
  private final double[] colourGain = new double[8];
  private final double period;
  private long tick;
  private final double phase;

  CameraModel(Camera camera, Scenario.Sensors sensors, double width, double depth, long startTs,
      SplittableRandom random) {
    this.camera = camera;
    this.sensors = sensors;
    this.random = random;
    this.width = width;
    this.depth = depth;
    this.biasX = sensors.cameraBiasMetres() * random.nextGaussian();
    this.biasY = sensors.cameraBiasMetres() * random.nextGaussian();
    for (int i = 0; i < colourGain.length; i++) {
      colourGain[i] = 0.9 + 0.2 * random.nextDouble();
    }
    this.period = 1000.0 / sensors.framesPerSecond();
    this.phase = startTs + random.nextDouble() * period;
  }

  /** The frames with timestamps in [from, to), given who may be on the floor then. */
  void frames(long from, long to, List<Person> present, List<Frame> out) {
    while (true) {
      long ts = Math.round(phase + tick * period) + random.nextInt(5) - 2;
      if (ts >= to) {
        return;
      }
      tick++;
      if (ts < from) {
        continue;
      }
      if (random.nextDouble() < sensors.frameDropRate()) {
        continue;
      }
      out.add(frame(ts, present));
    }
  }

  private Frame frame(long ts, List<Person> present) {
    Position lens = camera.position().onFloor();
    double radius = sensors.viewRadiusMetres();
    List<Person> inView = new ArrayList<>();
    List<Position> where = new ArrayList<>();
    for (Person person : present) {
      if (!person.onFloor(ts, width, depth)) {
        continue;
      }
      Position p = person.positionAt(ts);
      if (p.distanceTo(lens) <= radius) {
        inView.add(person);
        where.add(p);
      }
    }
    List<PersonObservation> people = new ArrayList<>();
    List<@Nullable String> truth = new ArrayList<>();
    for (int i = 0; i < inView.size(); i++) {
      Position p = where.get(i);
      int crowd = 0;
      for (int j = 0; j < where.size(); j++) {
        if (j != i && where.get(j).distanceTo(p) < 0.8) {
          crowd++;
        }
      }
      double edge = Math.pow(p.distanceTo(lens) / radius, 6);
      double miss = sensors.missRate() + sensors.crowdMissRate() * crowd + 0.25 * edge;
      if (random.nextDouble() < miss) {
        continue;
      }
      Person person = inView.get(i);
      Position seen = new Position(
          round3(p.x() + biasX + sensors.bodyNoiseMetres() * random.nextGaussian()),
          round3(p.y() + biasY + sensors.bodyNoiseMetres() * random.nextGaussian()));
      List<Point3> hands = new ArrayList<>(2);
      for (Point3 hand : person.handsAt(ts)) {
        if (random.nextDouble() >= sensors.handMissRate()) {
          double sd = sensors.handNoiseMetres();
          hands.add(new Point3(round3(hand.x() + biasX + sd * random.nextGaussian()),
              round3(hand.y() + biasY + sd * random.nextGaussian()),
              round3(Math.max(0, hand.z() + sd * random.nextGaussian()))));
        }
      }
      people.add(new PersonObservation(seen, hands, features(person)));
      truth.add(person.id);
    }
    int spurious = poisson(sensors.spuriousPerFrame());
    for (int s = 0; s < spurious; s++) {
      double angle = random.nextDouble() * 2 * Math.PI;
      double r = radius * Math.sqrt(random.nextDouble());
      double x = Math.max(0, Math.min(width, lens.x() + r * Math.cos(angle)));
      double y = Math.max(0, Math.min(depth, lens.y() + r * Math.sin(angle)));
      List<Point3> hands = new ArrayList<>();
      if (random.nextBoolean()) {
        hands.add(new Point3(round3(x + 0.3 * random.nextGaussian()), round3(y + 0.3 * random.nextGaussian()),
            round3(0.4 + random.nextDouble() * 1.2)));
      }
      people.add(new PersonObservation(new Position(round3(x), round3(y)), hands, noiseFeatures()));
      truth.add(null);
    }
    // Detectors report people in no particular order; keep the order from leaking who is who.
    for (int i = people.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      PersonObservation o = people.get(i);
      people.set(i, people.get(j));
      people.set(j, o);
      String t = truth.get(i);
      truth.set(i, truth.get(j));
      truth.set(j, t);
    }
    return new Frame(new FrameEvent(ts, camera.id(), people), truth);
  }

  private @Nullable FeatureVector features(Person person) {
    if (camera.features() == FeatureKind.CLOTHING_COLOR) {
      double[] v = new double[person.clothing.length];
      double sum = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = Math.max(0, person.clothing[i] * colourGain[i] * (1 + 0.1 * random.nextGaussian())
            + 0.01 * random.nextGaussian());
        sum += v[i];
      }
      return normalised(v, sum);
    }
    if (camera.features() == FeatureKind.FACE_GEOMETRY) {
      // The face is visible only in some views (not from behind, not looking down).
      if (random.nextDouble() < 0.45) {
        return null;
      }
      double[] v = new double[person.face.length];
      double norm = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = person.face[i] + 0.08 * random.nextGaussian();
        norm += v[i] * v[i];
      }
      return normalised(v, Math.sqrt(norm));
    }
    return null;
  }

  private @Nullable FeatureVector noiseFeatures() {
    if (camera.features() == FeatureKind.NONE) {
      return null;
    }
    int n = camera.features() == FeatureKind.CLOTHING_COLOR ? 8 : 32;
    double[] v = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      v[i] = camera.features() == FeatureKind.CLOTHING_COLOR ? random.nextDouble() : random.nextGaussian();
      sum += camera.features() == FeatureKind.CLOTHING_COLOR ? v[i] : v[i] * v[i];
    }
    return normalised(v, camera.features() == FeatureKind.CLOTHING_COLOR ? sum : Math.sqrt(sum));
  }

  private static @Nullable FeatureVector normalised(double[] v, double by) {
    if (!(by > 0)) {
      return null;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = round3(v[i] / by);
    }
    return FeatureVector.of(v);
  }

  private int poisson(double mean) {
    if (mean <= 0) {
      return 0;
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int k = 0;
    while (product > limit) {
      product *= random.nextDouble();
      k++;
    }
    return k;
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
