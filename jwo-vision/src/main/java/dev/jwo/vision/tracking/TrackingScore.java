package dev.jwo.vision.tracking;

import dev.jwo.core.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a tracker's output against the truth, frame by frame: CLEAR-MOT (misses, false positives, identity
 * switches, MOTA) and the identity measures (IDF1 with its global one-to-one matching of true and tracked
 * identities). An object and a hypothesis match within {@code matchMetres} on the floor. Not thread-safe.
 */
public final class TrackingScore {
  private final double matchMetres;
  /** The hypothesis each true identity was last matched to (CLEAR-MOT). */
  private final Map<String, String> lastMatch = new HashMap<>();
  /** For each true identity, how often each hypothesis was within the match distance in the same frame. */
  private final Map<String, Map<String, Integer>> together = new LinkedHashMap<>();
  private final Map<String, Integer> hypothesisIds = new LinkedHashMap<>();
  private long objects;
  private long hypotheses;
  private long misses;
  private long falsePositives;
  private long switches;

  public TrackingScore(double matchMetres) {
    if (!(matchMetres > 0)) {
      throw new IllegalArgumentException("the match distance must be positive");
    }
    this.matchMetres = matchMetres;
  }

  /** Something at a place in one frame: a true object or a tracker's hypothesis, with its identity. */
  public record Located(String id, Position position) {
    public Located {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(position, "position");
    }
  }

  /** Adds one frame: every true object in it and every hypothesis the tracker reported for it. */
  public void frame(List<Located> truth, List<Located> tracked) {
    objects += truth.size();
    hypotheses += tracked.size();
    for (Located h : tracked) {
      hypothesisIds.merge(h.id(), 1, Integer::sum);
    }
    for (Located t : truth) {
      Map<String, Integer> counts = together.computeIfAbsent(t.id(), k -> new LinkedHashMap<>());
      for (Located h : tracked) {
        if (t.position().distanceTo(h.position()) <= matchMetres) {
          counts.merge(h.id(), 1, Integer::sum);
        }
      }
    }
    // CLEAR-MOT: keep last frame's correspondences that still hold, then match the rest at least total distance.
    int[] matchOf = new int[truth.size()];
    java.util.Arrays.fill(matchOf, -1);
    boolean[] used = new boolean[tracked.size()];
    for (int i = 0; i < truth.size(); i++) {
      String previous = lastMatch.get(truth.get(i).id());
      for (int j = 0; previous != null && j < tracked.size(); j++) {
        if (!used[j] && tracked.get(j).id().equals(previous)
            && truth.get(i).position().distanceTo(tracked.get(j).position()) <= matchMetres) {
          matchOf[i] = j;
          used[j] = true;
          break;
        }
      }
    }
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < truth.size(); i++) {
      if (matchOf[i] < 0) {
        rows.add(i);
      }
    }
    if (!rows.isEmpty()) {
      double[][] costs = new double[rows.size()][tracked.size()];
      for (int r = 0; r < rows.size(); r++) {
        for (int j = 0; j < tracked.size(); j++) {
          double d = truth.get(rows.get(r)).position().distanceTo(tracked.get(j).position());
          costs[r][j] = used[j] || d > matchMetres ? Double.POSITIVE_INFINITY : d;
        }
      }
      int[] choice = Assignment.solve(costs, tracked.size());
      for (int r = 0; r < rows.size(); r++) {
        if (choice[r] >= 0) {
          int i = rows.get(r);
          matchOf[i] = choice[r];
          used[choice[r]] = true;
          String previous = lastMatch.get(truth.get(i).id());
          if (previous != null && !previous.equals(tracked.get(choice[r]).id())) {
            switches++;
          }
        }
      }
    }
    for (int i = 0; i < truth.size(); i++) {
      if (matchOf[i] < 0) {
        misses++;
      } else {
        lastMatch.put(truth.get(i).id(), tracked.get(matchOf[i]).id());
      }
    }
    for (boolean u : used) {
      if (!u) {
        falsePositives++;
      }
    }
  }

  /** The figures over every frame added so far. */
  public Result result() {
    List<Map<String, Integer>> truthRows = new ArrayList<>(together.values());
    List<String> hypIds = new ArrayList<>(hypothesisIds.keySet());
    Map<String, Integer> column = new HashMap<>();
    for (int j = 0; j < hypIds.size(); j++) {
      column.put(hypIds.get(j), j);
    }
    long idtp = 0;
    if (!truthRows.isEmpty() && !hypIds.isEmpty()) {
      // Every pair is allowed; a pair never together costs nothing, so the matching maximises frames together.
      double[][] costs = new double[truthRows.size()][hypIds.size()];
      for (int i = 0; i < truthRows.size(); i++) {
        for (Map.Entry<String, Integer> e : truthRows.get(i).entrySet()) {
          costs[i][column.getOrDefault(e.getKey(), 0)] = -e.getValue();
        }
      }
      int[] choice = Assignment.solve(costs, hypIds.size());
      for (int i = 0; i < choice.length; i++) {
        if (choice[i] >= 0) {
          idtp += truthRows.get(i).getOrDefault(hypIds.get(choice[i]), 0);
        }
      }
    }
    return new Result(objects, hypotheses, misses, falsePositives, switches, idtp, truthRows.size(), hypIds.size());
  }

  /**
   * CLEAR-MOT and identity figures.
   *
   * @param objects true objects over all frames; {@code hypotheses} the tracker's reports
   * @param idTruePositives frames in which a true identity and its matched hypothesis were together
   * @param truthIds distinct true identities; {@code hypothesisIds} distinct hypothesis identities
   */
  public record Result(long objects, long hypotheses, long misses, long falsePositives, long switches,
      long idTruePositives, int truthIds, int hypothesisIds) {

    /** 1 - (misses + false positives + switches) / objects. */
    public double mota() {
      return objects == 0 ? 1 : 1 - (misses + falsePositives + switches) / (double) objects;
    }

    /** 2 IDTP / (objects + hypotheses). */
    public double idf1() {
      return objects + hypotheses == 0 ? 1 : 2.0 * idTruePositives / (objects + hypotheses);
    }
  }
}
