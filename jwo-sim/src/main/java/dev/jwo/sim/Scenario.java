package dev.jwo.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What to simulate: the shape of the store, how its shoppers behave and how its sensors fail. Presets go from
 * {@code quiet} to {@code rush}, and {@code realistic-cells} has load cells that behave like those of a real
 * store; {@link #preset(String)} looks one up by name. Immutable.
 *
 * @param name the preset's name, or a name of the caller's choice
 * @param store the layout to generate
 * @param shoppers who comes in and what they do
 * @param sensors how gates, load cells and cameras report and misreport
 * @param cells how the load cells behave beyond {@code sensors}' simple model
 * @param tailgaterShare the share of parties (0 to 1) followed through the entry gate by a person who scanned
 *     nothing (a tailgater, who then shops and leaves like anyone else); 0 in every preset, so that presets simulate
 *     what they always did ({@link #withTailgaters})
 */
public record Scenario(String name, StoreShape store, Shoppers shoppers, Sensors sensors, LoadCells cells,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) double tailgaterShare) {

  /** The preset names, from the easiest to the largest, then the one with realistic load cells. */
  public static final List<String> PRESETS =
      List.of("tiny", "quiet", "normal", "busy", "hard", "rush", "realistic-cells");

  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(shoppers, "shoppers");
    Objects.requireNonNull(sensors, "sensors");
    Objects.requireNonNull(cells, "cells");
    if (!(tailgaterShare >= 0 && tailgaterShare <= 1)) {
      throw new IllegalArgumentException("the share of parties followed by a tailgater is in [0, 1], was "
          + tailgaterShare);
    }
  }

  /** A scenario without tailgaters. */
  public Scenario(String name, StoreShape store, Shoppers shoppers, Sensors sensors, LoadCells cells) {
    this(name, store, shoppers, sensors, cells, 0);
  }

  /** The same scenario with {@code share} of its parties followed in by a tailgater. */
  public Scenario withTailgaters(double share) {
    return new Scenario(name, store, shoppers, sensors, cells, share);
  }

  /** A scenario whose load cells follow {@code sensors}' simple model only ({@link LoadCells#SIMPLE}). */
  public Scenario(String name, StoreShape store, Shoppers shoppers, Sensors sensors) {
    this(name, store, shoppers, sensors, LoadCells.SIMPLE);
  }

  /**
   * Load cells as real ones behave (see the module's README for the measurements behind {@link #REALISTIC}).
   * Weights in grams, times in milliseconds, shares in [0, 1].
   *
   * @param rateHertz every cell reports at this rate, busy or still, with a little jitter; 0: at
   *     {@link Sensors#activePeriodMillis()} while disturbed and {@link Sensors#idlePeriodMillis()} while still
   * @param medianNoiseGrams median over the cells of each cell's own noise deviation; 0: every cell has
   *     {@link Sensors#loadNoiseGrams()}
   * @param p90NoiseGrams the 90th percentile of the cells' noise deviations (they are log-normal)
   * @param heavyMedianNoiseGrams the median on the heavy gondola (the first one, with the drinks)
   * @param maxNoiseGrams no cell is noisier
   * @param heavySpikeRate share of the heavy gondola's readings that are a single spike
   * @param spikeRate the same elsewhere
   * @param spikeMinGrams a spike's smallest size, either way
   * @param spikeMaxGrams its largest
   * @param whiteShare share of the noise's deviation that is white; the rest is high-frequency (differences of
   *     white noise), which averages away within a second
   * @param startUpGrams the largest offset of a cell's start-up transient, which then decays
   * @param startUpMillis its typical time constant
   * @param crossTalkMin the smallest share of a load change that each neighbour on the board shows too, for good
   * @param crossTalkMax the largest
   * @param acrossShare share of units that lie across their own plate and a neighbour's
   * @param declareShelves whether {@code store.json} declares the shelves (which plates lie side by side)
   */
  public record LoadCells(
      double rateHertz,
      double medianNoiseGrams,
      double p90NoiseGrams,
      double heavyMedianNoiseGrams,
      double maxNoiseGrams,
      double heavySpikeRate,
      double spikeRate,
      double spikeMinGrams,
      double spikeMaxGrams,
      double whiteShare,
      double startUpGrams,
      long startUpMillis,
      double crossTalkMin,
      double crossTalkMax,
      double acrossShare,
      boolean declareShelves) {

    /** Nothing beyond {@link Sensors}' model. */
    public static final LoadCells SIMPLE =
        new LoadCells(0, 0, 0, 0, 0, 0, 0, 20, 170, 1, 0, 0, 0, 0, 0, false);

    /**
     * From a public recording of a real autonomous-checkout store (348 plates at 60 Hz): noise deviation median
     * 1.1 g, 90th percentile 3.8 g, up to 25 g on the heavy drinks gondola (median 3.6 g there); single-reading
     * spikes of 20-170 g in 2 % of that gondola's readings and 0.006 % elsewhere; 1 s means with a deviation of
     * about 0.1 g; neighbours shifted for good by 0.8-1.6 % of a change; units lying across two plates.
     */
    public static final LoadCells REALISTIC =
        new LoadCells(60, 1.1, 3.8, 3.6, 25, 0.02, 0.00006, 20, 170, 0.7, 150, 500, 0.008, 0.016, 0.1, true);

    public LoadCells {
      if (!(rateHertz >= 0 && rateHertz <= 100)) {
        throw new IllegalArgumentException("a load cell's rate is at most 100 Hz (0: the sensors' periods)");
      }
      for (double v : new double[] {medianNoiseGrams, p90NoiseGrams, heavyMedianNoiseGrams, maxNoiseGrams,
          spikeMinGrams, spikeMaxGrams, startUpGrams, crossTalkMin, crossTalkMax}) {
        if (!(v >= 0) || Double.isInfinite(v)) {
          throw new IllegalArgumentException("load-cell noise, spikes and shares must be finite and not negative");
        }
      }
      for (double share : new double[] {heavySpikeRate, spikeRate, whiteShare, acrossShare, crossTalkMax}) {
        if (share < 0 || share > 1) {
          throw new IllegalArgumentException("rates and shares are in [0, 1]");
        }
      }
      if (medianNoiseGrams > 0 && (p90NoiseGrams < medianNoiseGrams || maxNoiseGrams < heavyMedianNoiseGrams)) {
        throw new IllegalArgumentException("the 90th percentile and the largest noise must not be below the medians");
      }
      if (spikeMaxGrams < spikeMinGrams || crossTalkMax < crossTalkMin || startUpMillis < 0) {
        throw new IllegalArgumentException("ranges must not be reversed, and times not negative");
      }
    }
  }

  /**
   * The layout of the store.
   *
   * @param gondolas double-sided shelf units, one behind the other, with an aisle between each two
   * @param columns bins side by side along each shelf face (0.5 m each)
   * @param levels shelf heights (1 to 4)
   * @param cameraSpacingMetres distance between neighbouring ceiling cameras
   * @param clothingShare share of cameras that send clothing-colour features
   * @param faceShare share of cameras that send face embeddings (a biometric identifier)
   * @param jurisdiction where the store is, e.g. {@code US-IL}
   */
  public record StoreShape(
      int gondolas,
      int columns,
      int levels,
      double cameraSpacingMetres,
      double clothingShare,
      double faceShare,
      String jurisdiction) {
    public StoreShape {
      if (gondolas < 1 || columns < 2 || levels < 1 || levels > 4) {
        throw new IllegalArgumentException("a store needs at least 1 gondola, 2 columns and 1 to 4 levels");
      }
      if (cameraSpacingMetres <= 0 || clothingShare < 0 || faceShare < 0 || clothingShare + faceShare > 1) {
        throw new IllegalArgumentException("camera spacing must be positive and feature shares add up to at most 1");
      }
      Objects.requireNonNull(jurisdiction, "jurisdiction");
    }
  }

  /**
   * Who comes in and what they do. Shares are probabilities in [0, 1].
   *
   * @param visits parties (entry scans) in the whole run
   * @param arrivalMinutes over how long the parties arrive (they all finish shopping and leave afterwards)
   * @param partySizeWeights relative weights of parties of 1, 2, 3 and 4 people
   * @param meanStops mean number of bins a shopper takes something from
   * @param browseOnlyShare shoppers who take nothing
   * @param multiUnitShare takes of more than one unit
   * @param putBackShare takes of which one unit is later put back
   * @param wrongBinShare put-backs into another bin than the one the unit came from
   * @param inspectShare reaches that lift a unit, look at it, and put it straight back
   * @param togetherShare parties of 2 or more that shop side by side rather than each on their own
   * @param consentShare credential holders who signed the biometric disclosure
   */
  public record Shoppers(
      int visits,
      double arrivalMinutes,
      List<Double> partySizeWeights,
      double meanStops,
      double browseOnlyShare,
      double multiUnitShare,
      double putBackShare,
      double wrongBinShare,
      double inspectShare,
      double togetherShare,
      double consentShare) {
    public Shoppers {
      partySizeWeights = List.copyOf(partySizeWeights);
      if (visits < 1 || arrivalMinutes <= 0 || meanStops < 1) {
        throw new IllegalArgumentException("need at least one visit, an arrival period and a mean of 1+ stops");
      }
      if (partySizeWeights.size() != 4 || partySizeWeights.stream().anyMatch(w -> w < 0)
          || partySizeWeights.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
        throw new IllegalArgumentException("party size weights are four non-negative numbers, not all zero");
      }
      for (double share : new double[] {browseOnlyShare, multiUnitShare, putBackShare, wrongBinShare,
          inspectShare, togetherShare, consentShare}) {
        if (share < 0 || share > 1) {
          throw new IllegalArgumentException("shares are probabilities in [0, 1]");
        }
      }
    }
  }

  /**
   * How the sensors report. Distances in metres, weights in grams, times in milliseconds.
   *
   * @param framesPerSecond each camera's frame rate
   * @param viewRadiusMetres how far from below a camera people are seen, on the floor
   * @param missRate chance that a visible person is not detected in a frame
   * @param crowdMissRate extra chance of a miss per other person within 0.8 m (occlusion)
   * @param bodyNoiseMetres position noise of bodies, one standard deviation per axis
   * @param handNoiseMetres position noise of hands
   * @param handMissRate chance that a hand is not reported
   * @param spuriousPerFrame mean number of false detections per frame
   * @param cameraBiasMetres standard deviation of each camera's fixed calibration error
   * @param frameDropRate chance that a whole frame is lost
   * @param loadNoiseGrams load-cell noise, one standard deviation
   * @param pressMaxGrams the most a hand pressing on the shelf adds to a reading
   * @param driftGramsPerHour standard deviation of each load cell's slow drift
   * @param loadOutlierRate chance that a reading is a glitch tens of grams off
   * @param activePeriodMillis load-cell reporting period while the load changes
   * @param idlePeriodMillis load-cell reporting period while the load is stable
   */
  public record Sensors(
      double framesPerSecond,
      double viewRadiusMetres,
      double missRate,
      double crowdMissRate,
      double bodyNoiseMetres,
      double handNoiseMetres,
      double handMissRate,
      double spuriousPerFrame,
      double cameraBiasMetres,
      double frameDropRate,
      double loadNoiseGrams,
      double pressMaxGrams,
      double driftGramsPerHour,
      double loadOutlierRate,
      long activePeriodMillis,
      long idlePeriodMillis) {
    public Sensors {
      if (framesPerSecond <= 0 || framesPerSecond > 60 || viewRadiusMetres <= 0) {
        throw new IllegalArgumentException("frame rate must be in (0, 60] and the view radius positive");
      }
      if (activePeriodMillis <= 0 || idlePeriodMillis < activePeriodMillis) {
        throw new IllegalArgumentException("load-cell periods must be positive, the idle one no shorter");
      }
      for (double v : new double[] {missRate, crowdMissRate, bodyNoiseMetres, handNoiseMetres, handMissRate,
          spuriousPerFrame, cameraBiasMetres, frameDropRate, loadNoiseGrams, pressMaxGrams, driftGramsPerHour,
          loadOutlierRate}) {
        if (!(v >= 0) || Double.isInfinite(v)) {
          throw new IllegalArgumentException("sensor fault rates and noise must be finite and not negative");
        }
      }
    }
  }

  /** The same scenario with another number of visits (and an arrival period scaled to keep the pace). */
  public Scenario withVisits(int visits) {
    double minutes = shoppers.arrivalMinutes() * visits / shoppers.visits();
    return new Scenario(name, store, new Shoppers(visits, minutes, shoppers.partySizeWeights(),
        shoppers.meanStops(), shoppers.browseOnlyShare(), shoppers.multiUnitShare(), shoppers.putBackShare(),
        shoppers.wrongBinShare(), shoppers.inspectShare(), shoppers.togetherShare(), shoppers.consentShare()),
        sensors, cells, tailgaterShare);
  }

  /**
   * A preset by name (see {@link #PRESETS}).
   *
   * @throws IllegalArgumentException naming the presets if there is none of that name
   */
  public static Scenario preset(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    Sensors clean = new Sensors(8, 4.5, 0.02, 0.02, 0.06, 0.03, 0.05, 0.01, 0.01, 0.0,
        1.0, 60, 1.0, 0.0, 100, 1_000);
    Sensors usual = new Sensors(6, 4.5, 0.05, 0.05, 0.10, 0.05, 0.12, 0.05, 0.03, 0.002,
        1.5, 150, 3.0, 0.001, 100, 2_000);
    Sensors rough = new Sensors(5, 4.0, 0.12, 0.10, 0.15, 0.07, 0.25, 0.20, 0.06, 0.01,
        3.0, 400, 10.0, 0.005, 100, 2_000);
    List<Double> mostlySingles = List.of(0.75, 0.17, 0.05, 0.03);
    List<Double> families = List.of(0.45, 0.30, 0.15, 0.10);
    return switch (key) {
      case "tiny" -> new Scenario(key,
          new StoreShape(1, 8, 3, 4.0, 0.0, 0.0, "US-IL"),
          new Shoppers(4, 1.0, List.of(0.6, 0.4, 0.0, 0.0), 2.0, 0.0, 0.1, 0.0, 0.0, 0.0, 0.5, 0.5),
          clean);
      case "quiet" -> new Scenario(key,
          new StoreShape(2, 10, 2, 4.0, 0.0, 0.0, "US-WA"),
          new Shoppers(12, 4.0, List.of(0.9, 0.1, 0.0, 0.0), 3.0, 0.05, 0.10, 0.03, 0.1, 0.03, 0.3, 0.5),
          clean);
      case "normal" -> new Scenario(key,
          new StoreShape(2, 10, 3, 4.0, 0.5, 0.2, "US-IL"),
          new Shoppers(20, 4.0, mostlySingles, 3.5, 0.08, 0.15, 0.06, 0.2, 0.06, 0.5, 0.5),
          usual);
      case "busy" -> new Scenario(key,
          new StoreShape(4, 24, 4, 4.0, 0.5, 0.0, "US-NY"),
          new Shoppers(120, 10.0, families, 4.0, 0.08, 0.18, 0.08, 0.25, 0.08, 0.6, 0.5),
          usual);
      case "hard" -> new Scenario(key,
          new StoreShape(3, 20, 4, 4.5, 0.4, 0.3, "US-IL"),
          new Shoppers(60, 6.0, families, 4.5, 0.05, 0.25, 0.15, 0.35, 0.12, 0.7, 0.4),
          rough);
      case "rush" -> new Scenario(key,
          new StoreShape(6, 30, 4, 4.0, 0.5, 0.0, "US-CA"),
          new Shoppers(400, 10.0, families, 4.0, 0.08, 0.18, 0.08, 0.25, 0.08, 0.6, 0.5),
          new Sensors(4, 4.5, 0.05, 0.05, 0.10, 0.05, 0.12, 0.05, 0.03, 0.002, 1.5, 150, 3.0, 0.001, 100, 2_000));
      case "realistic-cells" -> new Scenario(key,
          new StoreShape(2, 10, 3, 4.0, 0.5, 0.0, "US-WA"),
          new Shoppers(24, 4.0, mostlySingles, 3.5, 0.08, 0.15, 0.06, 0.2, 0.06, 0.5, 0.5),
          usual,
          LoadCells.REALISTIC);
      default -> throw new IllegalArgumentException(
          "no preset '" + name + "'; the presets are " + String.join(", ", PRESETS));
    };
  }
}
