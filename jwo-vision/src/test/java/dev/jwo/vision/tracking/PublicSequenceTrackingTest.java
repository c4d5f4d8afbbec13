package dev.jwo.vision.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwo.core.CameraId;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The default tracker on real pedestrians: the MOTChallenge 2015 sequence TUD-Stadtmitte, whose ground truth has
 * floor coordinates. A public detector's boxes are projected to the floor by a homography fitted to the ground
 * truth (foot point of each box to its floor position), fed to {@link KalmanTracker} with the store's settings
 * as one camera at 25 frames a second, and scored with CLEAR-MOT and IDF1 at a 1 m match distance.
 *
 * <p>The data is not part of the project (its licence allows evaluation only). Point the system property
 * {@code jwo.mot.dir} or the environment variable {@code JWO_MOT_DIR} at a folder holding
 * {@code TUD-Stadtmitte/gt.txt} and {@code TUD-Stadtmitte/det.txt} in MOTChallenge text format; without it the
 * test is skipped.
 */
class PublicSequenceTrackingTest {
  private static final long FRAME_MILLIS = 40;
  private static final long T0 = 1_764_410_400_000L;

  record Row(int frame, int id, double left, double top, double width, double height, double x, double y) {
    double footU() {
      return left + width / 2;
    }

    double footV() {
      return top + height;
    }
  }

  @Test
  void tudStadtmitteOnTheFloor() throws IOException {
    String dir = System.getProperty("jwo.mot.dir", System.getenv("JWO_MOT_DIR"));
    Path sequence = dir == null ? null : Path.of(dir, "TUD-Stadtmitte");
    assumeTrue(sequence != null && Files.isRegularFile(sequence.resolve("gt.txt"))
            && Files.isRegularFile(sequence.resolve("det.txt")),
        "TUD-Stadtmitte not found: set -Djwo.mot.dir=DIR or JWO_MOT_DIR to a folder with TUD-Stadtmitte/gt.txt"
            + " and det.txt (MOTChallenge 2015 format) to run this evaluation");
    List<Row> truth = read(sequence.resolve("gt.txt"));
    List<Row> detections = read(sequence.resolve("det.txt"));
    double[] h = fitHomography(truth);

    NavigableMap<Integer, List<Row>> truthByFrame = byFrame(truth);
    NavigableMap<Integer, List<Row>> detectionsByFrame = byFrame(detections);
    int lastFrame = Math.max(truthByFrame.lastKey(), detectionsByFrame.lastKey());
    KalmanTracker tracker = new KalmanTracker(TrackerSettings.DEFAULTS);
    TrackingScore score = new TrackingScore(1.0);
    CameraId camera = CameraId.of("tud-stadtmitte");
    for (int f = 1; f <= lastFrame; f++) {
      long ts = T0 + f * FRAME_MILLIS;
      List<PersonObservation> people = new ArrayList<>();
      for (Row d : detectionsByFrame.getOrDefault(f, List.of())) {
        people.add(new PersonObservation(project(h, d.footU(), d.footV()), List.of(), null));
      }
      List<TrackId> assigned = tracker.update(new FrameEvent(ts, camera, people));
      tracker.advanceTo(ts);
      Set<TrackId> reported = new LinkedHashSet<>();
      List<TrackingScore.Located> tracked = new ArrayList<>();
      for (TrackId id : assigned) {
        Track track = id == null ? null : tracker.track(id).orElse(null);
        if (track != null && track.status() == TrackStatus.CONFIRMED && reported.add(id)) {
          tracked.add(new TrackingScore.Located(id.value(), track.position()));
        }
      }
      List<TrackingScore.Located> objects = new ArrayList<>();
      for (Row t : truthByFrame.getOrDefault(f, List.of())) {
        objects.add(new TrackingScore.Located("p" + t.id(), new Position(t.x(), t.y())));
      }
      score.frame(objects, tracked);
    }
    TrackingScore.Result result = score.result();
    System.out.printf(Locale.ROOT, "TUD-Stadtmitte at 1 m: MOTA %.3f, IDF1 %.3f, switches %d, misses %d, false"
            + " positives %d, %d true ids, %d track ids, noise estimated %.2f m%n", result.mota(), result.idf1(),
        result.switches(), result.misses(), result.falsePositives(), result.truthIds(), result.hypothesisIds(),
        tracker.measurementNoiseMetres(camera));

    assertThat(result.idf1()).isGreaterThanOrEqualTo(0.45);
    assertThat(result.mota()).isGreaterThanOrEqualTo(0.25);
  }

  private static List<Row> read(Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] c = line.strip().split(",", -1);
      if (c.length < 10) {
        continue;
      }
      rows.add(new Row(Integer.parseInt(c[0].strip()), (int) Double.parseDouble(c[1]), Double.parseDouble(c[2]),
          Double.parseDouble(c[3]), Double.parseDouble(c[4]), Double.parseDouble(c[5]), Double.parseDouble(c[7]),
          Double.parseDouble(c[8])));
    }
    return rows;
  }

  private static NavigableMap<Integer, List<Row>> byFrame(List<Row> rows) {
    NavigableMap<Integer, List<Row>> frames = new TreeMap<>();
    for (Row row : rows) {
      frames.computeIfAbsent(row.frame(), k -> new ArrayList<>()).add(row);
    }
    return frames;
  }

  /** Least-squares homography (8 parameters, the last fixed at 1) from box foot points to floor positions. */
  static double[] fitHomography(List<Row> truth) {
    double[][] a = new double[8][9];
    for (Row r : truth) {
      double u = r.footU() / 100;
      double v = r.footV() / 100;
      addEquation(a, new double[] {u, v, 1, 0, 0, 0, -u * r.x(), -v * r.x()}, r.x());
      addEquation(a, new double[] {0, 0, 0, u, v, 1, -u * r.y(), -v * r.y()}, r.y());
    }
    for (int col = 0; col < 8; col++) {
      int pivot = col;
      for (int row = col + 1; row < 8; row++) {
        if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
          pivot = row;
        }
      }
      double[] swap = a[col];
      a[col] = a[pivot];
      a[pivot] = swap;
      for (int row = 0; row < 8; row++) {
        if (row != col) {
          double f = a[row][col] / a[col][col];
          for (int k = col; k < 9; k++) {
            a[row][k] -= f * a[col][k];
          }
        }
      }
    }
    double[] h = new double[8];
    for (int i = 0; i < 8; i++) {
      h[i] = a[i][8] / a[i][i];
    }
    return h;
  }

  private static void addEquation(double[][] normal, double[] coefficients, double value) {
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 8; j++) {
        normal[i][j] += coefficients[i] * coefficients[j];
      }
      normal[i][8] += coefficients[i] * value;
    }
  }

  static Position project(double[] h, double pixelU, double pixelV) {
    double u = pixelU / 100;
    double v = pixelV / 100;
    double w = h[6] * u + h[7] * v + 1;
    return new Position((h[0] * u + h[1] * v + h[2]) / w, (h[3] * u + h[4] * v + h[5]) / w);
  }
}
