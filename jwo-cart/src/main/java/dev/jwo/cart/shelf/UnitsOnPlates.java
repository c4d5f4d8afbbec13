package dev.jwo.cart.shelf;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEvent.PlateChange;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What units left the plates of a removal, all plates judged at once. Each plate a hand reached into lost whole
 * units of a product it holds; a unit may have lain across its plate and a neighbour, leaving a share of its weight
 * (a quarter to three quarters) on each. Every such explanation predicts the plates' losses as a normal law (unit
 * weights vary, shares of units lying across vary and take from one plate what they give the other, the cells add
 * noise), and is weighed by how likely it makes the losses seen, times a prior: fewer hands at once, fewer units,
 * the plate's own product, and most units on their own plate. A hand in a bin presses on its plate, so a plate
 * whose change lasted is likely one a hand reached into, and a plate that only stepped carried part of a unit.
 *
 * <p>Weights alone cannot tell one unit lying across plus a neighbour's own unit from more units all lying across;
 * which plates a hand pressed on can.
 */
final class UnitsOnPlates {
  /** Above this many plates the explanations are not enumerated (there are too many). */
  static final int MAX_PLATES = 5;
  /** The most units of one plate assumed to lie across to a neighbour in one change. */
  private static final int MAX_ACROSS = 2;
  /** The most units of one product a hand is assumed to take at once. */
  private static final int MAX_UNITS = 8;
  /** Prior of another hand reaching in at the same moment (a second shopper, or both hands). */
  private static final double EXTRA_HAND_PRIOR = Math.exp(-2);
  /** Prior of a unit lying across its plate and one beside it (about one unit in ten on a real shelf). */
  private static final double ACROSS_PRIOR = 0.1;
  /** Variance of the share of a unit lying across that rests on its own plate (uniform on [0.25, 0.75]). */
  private static final double SHARE_VARIANCE = 0.25 / 12;
  /** A plate's change lasting longer than this was pressed by a hand; a unit's weight alone steps at once. */
  static final long PRESS_MILLIS = 250;
  /** Probability that a plate a hand reached into changed for longer than {@link #PRESS_MILLIS}. */
  private static final double PRESSED_IF_HAND = 0.75;
  /** Probability that a plate no hand reached into changed for that long (a resting hand, a neighbour's press). */
  private static final double PRESSED_IF_NO_HAND = 0.1;
  /**
   * The same beside a plate a hand reached into whose change lasted longer: a hand's press is felt a little by the
   * plates beside it on the board.
   */
  private static final double PRESSED_IF_FELT = 0.3;
  /** An explanation whose losses are further than this (squared Mahalanobis distance) from those seen fails. */
  private static final double MAX_FIT = 16;

  private UnitsOnPlates() {}

  /** What one plate may have lost: {@code units} of {@code product} (none: a plate no hand reached into). */
  private record Option(@Nullable Product product, int units, boolean own) {}

  /**
   * The events of the units a removal of several plates most likely was, one per plate a hand reached into (its
   * delta the share of the total its units explain), or empty when no explanation fits.
   *
   * @param candidates what each plate could have held, asked with a change of that plate alone
   */
  static Optional<List<ShelfEvent>> explain(ShelfEvent event, StoreLayout layout,
      Function<ShelfEvent, Map<Sku, Integer>> candidates, double noiseGrams) {
    List<PlateChange> plates = event.plates();
    int n = plates.size();
    if (n < 2 || n > MAX_PLATES || !plates.stream().allMatch(p -> p.deltaGrams() < 0)) {
      return Optional.empty();
    }
    double[] loss = new double[n];
    double[] noise = new double[n];
    double total = 0;
    double totalVariance = 0;
    for (int i = 0; i < n; i++) {
      PlateChange p = plates.get(i);
      loss[i] = -p.deltaGrams();
      noise[i] = Math.max(2 * noiseGrams * noiseGrams, p.deltaSdGrams() * p.deltaSdGrams());
      total += loss[i];
      totalVariance += noise[i];
    }
    List<List<Option>> options = new ArrayList<>();
    for (PlateChange p : plates) {
      options.add(options(p, event.confidence(), layout, candidates, total, totalVariance));
    }
    int[][] neighbours = new int[n][];
    for (int i = 0; i < n; i++) {
      List<Integer> beside = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (layout.neighbours(plates.get(i).bin()).contains(plates.get(j).bin())) {
          beside.add(j);
        }
      }
      neighbours[i] = beside.stream().mapToInt(Integer::intValue).toArray();
    }
    Search search = new Search(plates, loss, noise, total, totalVariance, options, neighbours);
    search.choose(0, new Option[n], 0);
    if (search.best == null || search.bestFit > MAX_FIT) {
      return Optional.empty();
    }
    return Optional.of(search.events(event.confidence()));
  }

  /** What plate {@code p} may have lost: nothing, or whole units of each product it holds that fit the total. */
  private static List<Option> options(PlateChange p, double confidence, StoreLayout layout,
      Function<ShelfEvent, Map<Sku, Integer>> candidates, double total, double totalVariance) {
    List<Option> options = new ArrayList<>();
    options.add(new Option(null, 0, false));
    Sku own = layout.bin(p.bin()).map(b -> b.sku()).orElse(null);
    candidates.apply(ShelfEvent.ofPlate(p, confidence)).entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(c -> layout.product(c.getKey()).ifPresent(product -> {
          int most = Math.min(MAX_UNITS, Math.max(1, c.getValue()));
          for (int q = 1; q <= most; q++) {
            double sd = Math.sqrt(totalVariance + q * product.weightSdGrams() * product.weightSdGrams());
            if (q * product.unitWeightGrams() > total + 5 * sd) {
              break;
            }
            options.add(new Option(product, q, product.sku().equals(own)));
          }
        }));
    return options;
  }

  /** A depth-first search over each plate's units, then over which of them lie across. */
  private static final class Search {
    private final List<PlateChange> plates;
    private final double[] loss;
    private final double[] noise;
    private final double total;
    private final double totalVariance;
    private final List<List<Option>> options;
    private final int[][] neighbours;
    private final int n;
    /** Per plate, units lying across to each of its neighbours in the event (index as in {@link #neighbours}). */
    private final int[][] across;
    private Option @Nullable [] best;
    private int[][] bestAcross = new int[0][];
    private double bestCost = Double.POSITIVE_INFINITY;
    private double bestFit = Double.POSITIVE_INFINITY;

    Search(List<PlateChange> plates, double[] loss, double[] noise, double total, double totalVariance,
        List<List<Option>> options, int[][] neighbours) {
      this.plates = plates;
      this.loss = loss;
      this.noise = noise;
      this.total = total;
      this.totalVariance = totalVariance;
      this.options = options;
      this.neighbours = neighbours;
      this.n = plates.size();
      this.across = new int[n][];
      for (int i = 0; i < n; i++) {
        across[i] = new int[neighbours[i].length];
      }
    }

    /** Chooses plate {@code i}'s units, the plates before it chosen with {@code grams} expected in all. */
    void choose(int i, Option[] chosen, double grams) {
      if (i == n) {
        double variance = totalVariance;
        int hands = 0;
        for (Option o : chosen) {
          if (o.product() != null) {
            hands++;
            variance += o.units() * o.product().weightSdGrams() * o.product().weightSdGrams();
          }
        }
        // The plates' losses add up to the units' weight whichever way they lay: a cheap test first.
        if (hands == 0 || Math.abs(total - grams) > 5 * Math.sqrt(variance)) {
          return;
        }
        lay(0, chosen);
        return;
      }
      for (Option o : options.get(i)) {
        chosen[i] = o;
        choose(i + 1, chosen, grams + (o.product() == null ? 0 : o.units() * o.product().unitWeightGrams()));
      }
    }

    /** Chooses how many of plate {@code i}'s units lie across to each neighbour. */
    private void lay(int i, Option[] chosen) {
      if (i == n) {
        weigh(chosen);
        return;
      }
      int units = chosen[i].units();
      layNeighbour(i, 0, Math.min(units, MAX_ACROSS), chosen);
    }

    private void layNeighbour(int i, int k, int left, Option[] chosen) {
      if (k == across[i].length) {
        lay(i + 1, chosen);
        return;
      }
      for (int a = 0; a <= left; a++) {
        across[i][k] = a;
        layNeighbour(i, k + 1, left - a, chosen);
      }
      across[i][k] = 0;
    }

    /**
     * The losses an explanation predicts, as a normal law ({@code mean}, {@code cov}), with its prior cost; and per
     * plate a hand reached into, the covariance of its units' total weight with each plate's loss ({@code gain}).
     */
    private static final class Model {
      final double[] mean;
      final double[][] cov;
      final double[][] gain;
      final double priorCost;

      Model(double[] mean, double[][] cov, double[][] gain, double priorCost) {
        this.mean = mean;
        this.cov = cov;
        this.gain = gain;
        this.priorCost = priorCost;
      }
    }

    private long duration(int i) {
      return plates.get(i).endTs() - plates.get(i).startTs();
    }

    /** Whether plate {@code i} lies beside a plate a hand reached into whose change lasted at least as long. */
    private boolean felt(int i, Option[] chosen) {
      for (int j : neighbours[i]) {
        if (chosen[j].product() != null && duration(j) >= duration(i)) {
          return true;
        }
      }
      return false;
    }

    private Model model(Option[] chosen, int[][] lying) {
      double[] mean = new double[n];
      double[][] cov = new double[n][n];
      double[][] gain = new double[n][n];
      double cost = 0;
      int hands = 0;
      for (int i = 0; i < n; i++) {
        cov[i][i] += noise[i];
        Option o = chosen[i];
        Product product = o.product();
        boolean pressed = duration(i) > PRESS_MILLIS;
        if (product == null) {
          double p = felt(i, chosen) ? PRESSED_IF_FELT : PRESSED_IF_NO_HAND;
          cost -= 2 * Math.log(pressed ? p : 1 - p);
          continue;
        }
        hands++;
        cost -= 2 * Math.log(pressed ? PRESSED_IF_HAND : 1 - PRESSED_IF_HAND);
        double w = product.unitWeightGrams();
        double unitVariance = product.weightSdGrams() * product.weightSdGrams();
        double shareVariance = w * w * SHARE_VARIANCE;
        int acrossUnits = 0;
        for (int k = 0; k < neighbours[i].length; k++) {
          int a = lying[i][k];
          if (a == 0) {
            continue;
          }
          int j = neighbours[i][k];
          acrossUnits += a;
          // Each unit across: half its weight expected on each plate; its share varies, taken from one, given the
          // other.
          mean[i] += a * w / 2;
          mean[j] += a * w / 2;
          cov[i][i] += a * (shareVariance + unitVariance / 4);
          cov[j][j] += a * (shareVariance + unitVariance / 4);
          cov[i][j] += a * (unitVariance / 4 - shareVariance);
          cov[j][i] += a * (unitVariance / 4 - shareVariance);
          gain[i][i] += a * unitVariance / 2;
          gain[i][j] += a * unitVariance / 2;
          cost -= 2 * a * Math.log(ACROSS_PRIOR / neighbours[i].length);
        }
        int onOwn = o.units() - acrossUnits;
        mean[i] += onOwn * w;
        cov[i][i] += onOwn * unitVariance;
        gain[i][i] += onOwn * unitVariance;
        cost -= 2 * (onOwn * Math.log(1 - ACROSS_PRIOR) + logChoose(o.units(), acrossUnits));
        cost -= 2 * (o.units() - 1) * Math.log(ProductBelief.EXTRA_UNIT_PRIOR);
        if (!o.own()) {
          cost -= 2 * Math.log(ProductBelief.OTHER_PRODUCT_PRIOR);
        }
      }
      cost -= 2 * (hands - 1) * Math.log(EXTRA_HAND_PRIOR);
      return new Model(mean, cov, gain, cost);
    }

    /** The cost (-2 log of likelihood times prior) of one explanation; the cheapest is kept. */
    private void weigh(Option[] chosen) {
      Model model = model(chosen, across);
      // Every term of the likelihood's cost is positive (variances are above 1 g^2): a prior already too costly ends.
      if (model.priorCost >= bestCost) {
        return;
      }
      double[][] l = cholesky(model.cov);
      if (l.length == 0) {
        return;
      }
      double[] y = forward(l, residual(model));
      double fit = 0;
      double logDet = 0;
      for (int i = 0; i < n; i++) {
        fit += y[i] * y[i];
        logDet += 2 * Math.log(l[i][i]);
      }
      double cost = model.priorCost + fit + logDet;
      if (cost < bestCost) {
        bestCost = cost;
        bestFit = fit;
        best = chosen.clone();
        bestAcross = new int[n][];
        for (int i = 0; i < n; i++) {
          bestAcross[i] = across[i].clone();
        }
      }
    }

    private double[] residual(Model model) {
      double[] residual = new double[n];
      for (int i = 0; i < n; i++) {
        residual[i] = loss[i] - model.mean[i];
      }
      return residual;
    }

    /**
     * One event per plate a hand reached into, over the plates its units touched: the weight its units most likely
     * had given the losses seen (the normal law's conditional mean), the events adding up to the whole change.
     */
    List<ShelfEvent> events(double confidence) {
      Option[] chosen = Objects.requireNonNull(best);
      Model model = model(chosen, bestAcross);
      double[][] l = cholesky(model.cov);
      // C^-1 r, by solving L y = r and then L^T z = y.
      double[] y = forward(l, residual(model));
      double[] z = new double[n];
      for (int i = n - 1; i >= 0; i--) {
        double s = y[i];
        for (int k = i + 1; k < n; k++) {
          s -= l[k][i] * z[k];
        }
        z[i] = s / l[i][i];
      }
      double[] grams = new double[n];
      double explained = 0;
      double expected = 0;
      for (int i = 0; i < n; i++) {
        Product product = chosen[i].product();
        if (product == null) {
          continue;
        }
        grams[i] = chosen[i].units() * product.unitWeightGrams();
        expected += grams[i];
        for (int j = 0; j < n; j++) {
          grams[i] += model.gain[i][j] * z[j];
        }
        explained += grams[i];
      }
      List<ShelfEvent> events = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Product product = chosen[i].product();
        if (product == null) {
          continue;
        }
        // What the cells' noise left over is shared in proportion, so that the events add up to the change seen.
        double delta = grams[i] + (total - explained) * chosen[i].units() * product.unitWeightGrams() / expected;
        // The part of it the units lying across left on each neighbour, as expected (half a unit each); the rest on
        // its own plate.
        double scale = delta / (chosen[i].units() * product.unitWeightGrams());
        PlateChange own = plates.get(i);
        List<PlateChange> touched = new ArrayList<>();
        double onOwn = delta;
        for (int k = 0; k < neighbours[i].length; k++) {
          int a = bestAcross[i][k];
          if (a > 0) {
            PlateChange beside = plates.get(neighbours[i][k]);
            double there = a * product.unitWeightGrams() / 2 * scale;
            onOwn -= there;
            touched.add(new PlateChange(beside.bin(), beside.startTs(), beside.endTs(), -there,
                Math.sqrt(noise[neighbours[i][k]])));
          }
        }
        touched.add(0, new PlateChange(own.bin(), own.startTs(), own.endTs(), -onOwn, Math.sqrt(noise[i])));
        events.add(touched.size() == 1 ? ShelfEvent.ofPlate(touched.get(0), confidence)
            : MultiPlateEvents.withMain(touched, own.bin(), confidence));
      }
      return events;
    }
  }

  /** Solves {@code l y = r} for a lower triangular {@code l}. */
  private static double[] forward(double[][] l, double[] r) {
    int n = r.length;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = r[i];
      for (int k = 0; k < i; k++) {
        s -= l[i][k] * y[k];
      }
      y[i] = s / l[i][i];
    }
    return y;
  }

  private static double logChoose(int n, int k) {
    double s = 0;
    for (int i = 0; i < k; i++) {
      s += Math.log(n - i) - Math.log(i + 1);
    }
    return s;
  }

  /** The lower Cholesky factor of {@code a}, or an empty array when it is not positive definite. */
  private static double[][] cholesky(double[][] a) {
    int n = a.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (s <= 0) {
            return new double[0][];
          }
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    return l;
  }
}
