package dev.jwo.sim.score;

import dev.jwo.core.GateId;
import dev.jwo.sim.truth.TailgaterTruth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Tailgating incidents graded against the scripted tailgaters: an incident is true when a tailgater crossed the same
 * gate within {@link #TOLERANCE_MILLIS} of it (each tailgater answers for one incident at most), false otherwise.
 *
 * @param scripted tailgaters in the truth
 * @param truePositives incidents that name a scripted tailgater's crossing
 * @param falsePositives incidents that name none (a member of a party, a false detection)
 * @param missed scripted tailgaters no incident names
 */
public record TailgatingScore(int scripted, int truePositives, int falsePositives, int missed) {
  /** How far apart in time an incident and a tailgater's crossing may be and still be the same. */
  public static final long TOLERANCE_MILLIS = 3_000;

  /** A tailgating incident as the store reported it: the gate and when the track crossed its line. */
  public record Incident(GateId gate, long ts) {
    public Incident {
      Objects.requireNonNull(gate, "gate");
    }
  }

  /** Grades {@code incidents} against {@code truth}, nearest in time first. */
  public static TailgatingScore score(List<TailgaterTruth> truth, List<Incident> incidents) {
    List<TailgaterTruth> left = new ArrayList<>(truth);
    int matched = 0;
    List<Incident> ordered = new ArrayList<>(incidents);
    ordered.sort(Comparator.comparingLong(Incident::ts));
    for (Incident incident : ordered) {
      TailgaterTruth best = null;
      for (TailgaterTruth t : left) {
        long apart = Math.abs(t.crossTs() - incident.ts());
        if (t.gate().equals(incident.gate()) && apart <= TOLERANCE_MILLIS
            && (best == null || apart < Math.abs(best.crossTs() - incident.ts()))) {
          best = t;
        }
      }
      if (best != null) {
        left.remove(best);
        matched++;
      }
    }
    return new TailgatingScore(truth.size(), matched, incidents.size() - matched, left.size());
  }

  /** One line for people. */
  public String summary() {
    return String.format(Locale.ROOT, "tailgating incidents against %d scripted tailgaters: %d true, %d false,"
        + " %d tailgaters missed", scripted, truePositives, falsePositives, missed);
  }
}
