package dev.jwo.cart.shelf;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.cart.v1.CellState;
import dev.jwo.cart.v1.PendingChange;
import dev.jwo.cart.v1.PendingChanges;
import dev.jwo.cart.v1.SettlingDetectorState;
import dev.jwo.core.pipeline.SnapshotPart;
import dev.jwo.core.pipeline.SnapshotSeal;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEvent.PlateChange;
import dev.jwo.cart.ShelfEventDetector;
import dev.jwo.core.BinId;
import dev.jwo.core.Shelf;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.WeightEvent;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Detects load changes that settle, at any sample rate from about 1 to 100 readings a second, regular or not.
 * Everything it waits for is a time, not a number of readings, and everything it compares is a median, so that a
 * single reading far off neither starts a change nor keeps one from settling.
 *
 * <p>Per plate: a cell first needs a <em>baseline</em>, readings that stay level for a second (at least
 * {@link ShelfSettings#settleReadings()} of them); until then nothing it reports is a change, however it starts
 * up. Its noise is first estimated from that baseline, weighed against the prior
 * {@link ShelfSettings#sensorNoiseGrams()}, and then learned while it rests. At rest the level follows slow
 * drift. A change starts when the median of the last three readings leaves the level by more than
 * {@link ShelfSettings#minChangeGrams()} or four noise deviations, or when the mean of the last half settle window
 * (spikes clipped) leaves it by more than twice that and four deviations of a quarter window's mean at rest: real
 * cells' noise is mostly of high frequency, so a small unit on a noisy cell shows in means. It is over when the
 * readings of the last {@link ShelfSettings#settleMillis()} plus {@link ShelfSettings#holdMillis()} are level:
 * the medians of their two halves agree within the noise, and three quarters of them lie within the tolerance of
 * their median. The change's delta is that median less the level before, and its deviation follows from the noise and the
 * number of readings on both sides.
 *
 * <p>Per shelf (when the layout declares shelves): changes of neighbouring plates at about the same time are one
 * event, so a unit lying across two plates is one change of its whole weight; a change smaller than a twentieth
 * of a neighbour's that comes with it is cross-talk through the board and is left out. A plate's change waits
 * for its neighbours to be still before it is returned.
 */
public final class SettlingShelfDetector implements ShelfEventDetector, SnapshotPart {
  /** How long a cell's first readings must stay level to be its baseline. */
  private static final long BASELINE_MILLIS = 1_000;
  /** Time constant with which the level follows drift at rest. */
  private static final double LEVEL_TAU_MILLIS = 5_000;
  /** Time constant with which the noise is learned at rest. */
  private static final double NOISE_TAU_MILLIS = 20_000;
  /** How many readings' worth the prior noise weighs against a baseline's own. */
  private static final double PRIOR_READINGS = 5;
  /** Noise deviations a median may leave the level by before a change starts. */
  private static final double TRIGGER_DEVIATIONS = 4.0;
  /**
   * A change found from the means of readings, too small for single readings to show, must be at least this many
   * times {@link ShelfSettings#minChangeGrams()}.
   */
  private static final double MEAN_TRIGGER_MIN_CHANGES = 2;
  /** Noise deviations a settled reading may be off its median. */
  private static final double SETTLE_DEVIATIONS = 4.0;
  /** Deviations (of their difference) by which the means of a settled window's quarters may differ. */
  private static final double TREND_DEVIATIONS = 3.0;
  /** Share of a settled window's readings that must lie within the tolerance. */
  private static final double INLIER_SHARE = 0.75;
  /** A change still unsettled after this long is judged on its latest readings, with low confidence. */
  private static final long MAX_CHANGE_MILLIS = 20_000;
  /** The most readings kept per cell (100 Hz over two seconds). */
  private static final int MAX_READINGS = 200;
  /** Changes of neighbours this close in time are one event. */
  private static final long GROUP_SLACK_MILLIS = 500;
  /** How long a plate's change waits at most for its neighbours. */
  private static final long GROUP_WAIT_MILLIS = 4_000;
  /**
   * How long after a plate's change a small change of it or its neighbours is still its aftermath, and how far
   * apart two changes of one plate held back by a busy neighbour may be to be summed.
   */
  private static final long AFTERMATH_MILLIS = 3_000;
  /**
   * How long after it settled a change small for its cell waits for its plate to change again: a hand pressing on
   * a noisy cell while it reaches in looks like such a change, and the take that follows it is then one change with
   * it (summed, as for any two changes of a plate held back together).
   */
  private static final long SMALL_WAIT_MILLIS = 2_000;
  /** A neighbour's change at most this share of the largest is cross-talk. */
  private static final double CROSS_TALK_SHARE = 0.05;
  /**
   * How much of a neighbour's change in the same event a plate's change may hold as cross-talk (one deviation):
   * real boards shift a neighbour by 0.8-1.6 % of a change.
   */
  private static final double CROSS_TALK_SD_SHARE = 0.012;
  /** Standard deviations per mean absolute deviation, for Gaussian noise. */
  private static final double ABS_TO_SD = 1.2533;
  /** Standard deviations per median absolute deviation, for Gaussian noise. */
  private static final double MAD_TO_SD = 1.4826;

  private final ShelfSettings settings;
  private final @Nullable StoreLayout layout;
  private final Map<BinId, Cell> cells = new HashMap<>();
  /** Plate changes waiting for their neighbours, by shelf (or by bin for plates on no shelf). */
  private final Map<String, List<Pending>> pending = new TreeMap<>();

  @Inject
  public SettlingShelfDetector(ShelfSettings settings, StoreLayout layout) {
    this.settings = settings;
    this.layout = layout;
  }

  /** A detector that knows no shelves: every plate is judged alone. */
  public SettlingShelfDetector(ShelfSettings settings) {
    this.settings = settings;
    this.layout = null;
  }

  private enum Phase { BASELINE, REST, CHANGING }

  /**
   * A plate's change, whether it settled, and whether it is small for its cell (within four deviations of a single
   * reading, found only in means), which waits longer for a change of its plate that may undo it.
   */
  private record Pending(PlateChange change, boolean settled, boolean small) {}

  @Override
  public List<ShelfEvent> onReading(WeightEvent reading) {
    Cell cell = cells.computeIfAbsent(reading.bin(), Cell::new);
    Pending done = cell.take(reading.ts(), reading.grams());
    if (done != null) {
      add(cell, done);
    }
    if (pending.isEmpty()) {
      return List.of();
    }
    return release(reading.ts(), false);
  }

  @Override
  public List<ShelfEvent> flush(long ts) {
    cells.values().stream()
        .sorted(Comparator.comparing(c -> c.bin))
        .forEach(cell -> {
          Pending done = cell.settleNow(ts);
          if (done != null) {
            add(cell, done);
          }
        });
    return release(ts, true);
  }

  @Override
  public int snapshotVersion() {
    return 1;
  }

  /** Every plate's cell (level, noise, readings kept) and the changes waiting for their neighbours. */
  @Override
  public ByteString exportState(SnapshotSeal seal) {
    SettlingDetectorState.Builder state = SettlingDetectorState.newBuilder();
    cells.values().stream().sorted(Comparator.comparing(c -> c.bin)).forEach(cell -> {
      CellState.Builder kept = CellState.newBuilder()
          .setBin(cell.bin.value())
          .setPhase(cell.phase.name())
          .setLevel(cell.level)
          .setNoiseSd(cell.noiseSd)
          .setMeanAbs(cell.meanAbs)
          .setBlockSd(cell.blockSd)
          .setBlockMeanAbs(cell.blockMeanAbs)
          .setBlockStart(cell.blockStart)
          .setBlockSum(cell.blockSum)
          .setBlockCount(cell.blockCount)
          .setLastTs(cell.lastTs)
          .setFirstOffTs(cell.firstOffTs)
          .setChangeStart(cell.changeStart);
      PlateChange last = cell.lastReturned;
      if (last != null) {
        kept.setLastReturned(ShelfStates.plate(last));
      }
      for (int i = 0; i < cell.size; i++) {
        kept.addTimes(cell.times[i]).addGrams(cell.grams[i]);
      }
      state.addCells(kept);
    });
    pending.forEach((group, changes) -> {
      PendingChanges.Builder kept = PendingChanges.newBuilder().setGroup(group);
      for (Pending p : changes) {
        kept.addChanges(PendingChange.newBuilder().setChange(ShelfStates.plate(p.change()))
            .setSettled(p.settled()).setSmall(p.small()));
      }
      state.addPending(kept);
    });
    return state.build().toByteString();
  }

  @Override
  public void restoreState(int version, ByteString state, SnapshotSeal seal) {
    if (version != 1) {
      throw new IllegalArgumentException("settling detector state version " + version + " is unknown to this"
          + " release");
    }
    SettlingDetectorState kept;
    try {
      kept = SettlingDetectorState.parseFrom(state);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("the settling detector's state cannot be read: " + e.getMessage(), e);
    }
    Map<BinId, Cell> restoredCells = new HashMap<>();
    for (CellState c : kept.getCellsList()) {
      if (c.getTimesCount() != c.getGramsCount() || c.getTimesCount() > MAX_READINGS) {
        throw new IllegalArgumentException("the settling detector's state holds " + c.getTimesCount()
            + " reading times and " + c.getGramsCount() + " weights for bin " + c.getBin());
      }
      Cell cell = new Cell(BinId.of(c.getBin()));
      cell.phase = Phase.valueOf(c.getPhase());
      cell.level = c.getLevel();
      cell.noiseSd = c.getNoiseSd();
      cell.meanAbs = c.getMeanAbs();
      cell.blockSd = c.getBlockSd();
      cell.blockMeanAbs = c.getBlockMeanAbs();
      cell.blockStart = c.getBlockStart();
      cell.blockSum = c.getBlockSum();
      cell.blockCount = c.getBlockCount();
      cell.lastTs = c.getLastTs();
      cell.lastReturned = c.hasLastReturned() ? ShelfStates.plate(c.getLastReturned()) : null;
      cell.firstOffTs = c.getFirstOffTs();
      cell.changeStart = c.getChangeStart();
      for (int i = 0; i < c.getTimesCount(); i++) {
        cell.times[i] = c.getTimes(i);
        cell.grams[i] = c.getGrams(i);
      }
      cell.size = c.getTimesCount();
      restoredCells.put(cell.bin, cell);
    }
    Map<String, List<Pending>> restoredPending = new TreeMap<>();
    for (PendingChanges group : kept.getPendingList()) {
      List<Pending> changes = new ArrayList<>();
      for (PendingChange p : group.getChangesList()) {
        changes.add(new Pending(ShelfStates.plate(p.getChange()), p.getSettled(), p.getSmall()));
      }
      restoredPending.put(group.getGroup(), changes);
    }
    cells.clear();
    cells.putAll(restoredCells);
    pending.clear();
    pending.putAll(restoredPending);
  }

  private void add(Cell cell, Pending change) {
    if (aftermath(cell, change.change())) {
      return;
    }
    pending.computeIfAbsent(cell.group, g -> new ArrayList<>()).add(change);
  }

  /**
   * Whether a change is what is left of a larger one of its own plate or a neighbour's, returned just before: a
   * hand letting go of the shelf after the load had settled, or cross-talk that shows after the neighbour's change
   * was returned.
   */
  private boolean aftermath(Cell cell, PlateChange change) {
    double size = Math.abs(change.deltaGrams());
    List<BinId> near = new ArrayList<>(neighbours(cell.bin));
    near.add(cell.bin);
    for (BinId bin : near) {
      Cell other = cells.get(bin);
      PlateChange last = other == null ? null : other.lastReturned;
      if (last != null && change.startTs() <= last.endTs() + AFTERMATH_MILLIS
          && change.startTs() >= last.startTs() - GROUP_SLACK_MILLIS
          && size <= CROSS_TALK_SHARE * Math.abs(last.deltaGrams())) {
        return true;
      }
    }
    return false;
  }

  /** The events of every group of pending changes whose neighbours are still (all of them when flushing). */
  private List<ShelfEvent> release(long now, boolean all) {
    List<ShelfEvent> events = new ArrayList<>();
    var groups = pending.entrySet().iterator();
    while (groups.hasNext()) {
      List<Pending> changes = groups.next().getValue();
      for (List<Pending> group : connected(changes)) {
        if (all || ready(group, now)) {
          ShelfEvent event = combine(group);
          if (event != null) {
            events.add(event);
            for (PlateChange plate : event.plates()) {
              Cell cell = cells.get(plate.bin());
              if (cell != null) {
                cell.lastReturned = plate;
              }
            }
          }
          changes.removeAll(group);
        }
      }
      if (changes.isEmpty()) {
        groups.remove();
      }
    }
    events.sort(Comparator.comparingLong(ShelfEvent::endTs).thenComparing(ShelfEvent::bin));
    return events;
  }

  /** The pending changes of one shelf, in groups of neighbours close in time. */
  private List<List<Pending>> connected(List<Pending> changes) {
    int n = changes.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        PlateChange a = changes.get(i).change();
        PlateChange b = changes.get(j).change();
        boolean linked;
        if (a.bin().equals(b.bin())) {
          // Both held back by a busy neighbour: a hand on the shelf moving this plate and letting it go.
          linked = a.startTs() - AFTERMATH_MILLIS <= b.endTs() && b.startTs() - AFTERMATH_MILLIS <= a.endTs();
        } else {
          linked = a.startTs() - GROUP_SLACK_MILLIS <= b.endTs() && b.startTs() - GROUP_SLACK_MILLIS <= a.endTs()
              && neighbours(a.bin()).contains(b.bin());
        }
        if (linked) {
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    Map<Integer, List<Pending>> byRoot = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      byRoot.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(changes.get(i));
    }
    return new ArrayList<>(byRoot.values());
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Whether no neighbour of the group is still changing in a way that could belong to it. */
  private boolean ready(List<Pending> group, long now) {
    long end = group.stream().mapToLong(p -> p.change().endTs()).max().orElseThrow();
    if (now >= end + GROUP_WAIT_MILLIS) {
      return true;
    }
    for (Pending member : group) {
      Cell own = cells.get(member.change().bin());
      if (member.small() && own != null && (now < end + SMALL_WAIT_MILLIS || own.phase == Phase.CHANGING)) {
        return false;
      }
      for (BinId neighbour : neighbours(member.change().bin())) {
        Cell cell = cells.get(neighbour);
        if (cell == null || cell.phase == Phase.BASELINE) {
          continue;
        }
        if (cell.lastTs < end || (cell.phase == Phase.CHANGING && cell.changeStart <= end + GROUP_SLACK_MILLIS)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * One event of a group of plate changes, or none: each plate's changes are summed (a hand pressing on a plate
   * beside the one it takes from moves it and lets it go again, which sums to nothing), and a plate whose net change
   * is within its noise, or no more than cross-talk of the largest, is left out. Each plate's deviation allows for
   * the cross-talk of its neighbours in the group, which is part of its change.
   */
  private @Nullable ShelfEvent combine(List<Pending> group) {
    Map<BinId, PlateChange> net = new TreeMap<>();
    Map<BinId, Boolean> settledOf = new HashMap<>();
    for (Pending p : group) {
      PlateChange c = p.change();
      net.merge(c.bin(), c, (a, b) -> new PlateChange(a.bin(), Math.min(a.startTs(), b.startTs()),
          Math.max(a.endTs(), b.endTs()), a.deltaGrams() + b.deltaGrams(),
          Math.sqrt(a.deltaSdGrams() * a.deltaSdGrams() + b.deltaSdGrams() * b.deltaSdGrams())));
      settledOf.merge(c.bin(), p.settled(), Boolean::logicalAnd);
    }
    double largest = net.values().stream().mapToDouble(c -> Math.abs(c.deltaGrams())).max().orElseThrow();
    List<PlateChange> kept = new ArrayList<>();
    for (PlateChange c : net.values()) {
      double size = Math.abs(c.deltaGrams());
      boolean noise = size <= Math.max(settings.minChangeGrams(), SETTLE_DEVIATIONS * c.deltaSdGrams());
      boolean crossTalk = net.size() > 1 && size <= CROSS_TALK_SHARE * largest;
      if (!noise && !crossTalk) {
        kept.add(c);
      }
    }
    if (kept.isEmpty()) {
      return null;
    }
    List<PlateChange> plates = new ArrayList<>();
    for (PlateChange c : kept) {
      double talk = 0;
      for (PlateChange other : kept) {
        if (!other.bin().equals(c.bin()) && neighbours(c.bin()).contains(other.bin())) {
          talk += CROSS_TALK_SD_SHARE * Math.abs(other.deltaGrams());
        }
      }
      plates.add(talk == 0 ? c : new PlateChange(c.bin(), c.startTs(), c.endTs(), c.deltaGrams(),
          Math.sqrt(c.deltaSdGrams() * c.deltaSdGrams() + talk * talk)));
    }
    PlateChange main = plates.stream()
        .max(Comparator.comparingDouble((PlateChange c) -> Math.abs(c.deltaGrams()))
            .thenComparing(PlateChange::bin, Comparator.reverseOrder()))
        .orElseThrow();
    long start = plates.stream().mapToLong(PlateChange::startTs).min().orElseThrow();
    long end = plates.stream().mapToLong(PlateChange::endTs).max().orElseThrow();
    double delta = 0;
    double variance = 0;
    boolean settled = true;
    for (PlateChange c : plates) {
      delta += c.deltaGrams();
      variance += c.deltaSdGrams() * c.deltaSdGrams();
      settled &= settledOf.getOrDefault(c.bin(), true);
    }
    double sd = Math.sqrt(variance);
    return new ShelfEvent(main.bin(), start, end, delta, sd, confidence(delta, sd, settled), plates);
  }

  /**
   * How sure the change is real, from how many deviations of its noise it is away from none; halved for a
   * change that never settled.
   */
  static double confidence(double delta, double sd, boolean settled) {
    double z = Math.abs(delta) / Math.max(sd, 1e-3);
    double sure = 1 - Math.exp(-z * z / 8);
    return settled ? sure : sure / 2;
  }

  private List<BinId> neighbours(BinId bin) {
    StoreLayout known = layout;
    return known == null ? List.of() : known.neighbours(bin);
  }

  /** One plate's load cell. */
  private final class Cell {
    final BinId bin;
    final String group;
    Phase phase = Phase.BASELINE;
    /** The load at rest, grams. */
    double level;
    /** Deviation of single readings at rest. */
    double noiseSd;
    double meanAbs;
    /** Deviation of the mean of a quarter of the settle window at rest: what a level can be known to. */
    double blockSd;
    double blockMeanAbs;
    long blockStart;
    double blockSum;
    int blockCount;
    long lastTs = Long.MIN_VALUE;
    /** This plate's part of the last event returned. */
    @Nullable PlateChange lastReturned;
    long firstOffTs = Long.MIN_VALUE;
    long changeStart;
    /** Recent readings, oldest first: while changing, since the change started; else the last few. */
    final long[] times = new long[MAX_READINGS];
    final double[] grams = new double[MAX_READINGS];
    int size;

    Cell(BinId bin) {
      this.bin = bin;
      StoreLayout known = layout;
      @Nullable Shelf shelf = known == null ? null : known.shelfOf(bin).orElse(null);
      this.group = shelf == null || shelf.bins().size() < 2 ? "bin:" + bin.value() : "shelf:" + shelf.id().value();
      this.noiseSd = settings.sensorNoiseGrams();
      this.blockSd = noiseSd;
    }

    double trigger() {
      return Math.max(settings.minChangeGrams(), TRIGGER_DEVIATIONS * noiseSd);
    }

    long windowMillis() {
      return settings.settleMillis() + settings.holdMillis();
    }

    @Nullable Pending take(long ts, double value) {
      long dt = lastTs == Long.MIN_VALUE ? 0 : Math.max(0, ts - lastTs);
      lastTs = ts;
      append(ts, value);
      return switch (phase) {
        case BASELINE -> {
          baseline(ts);
          yield null;
        }
        case REST -> rest(ts, value, dt);
        case CHANGING -> changing(ts);
      };
    }

    private void baseline(long now) {
      int from = window(now, BASELINE_MILLIS);
      if (from < 0) {
        trim(now, BASELINE_MILLIS);
        return;
      }
      int n = size - from;
      double windowSd = Math.max(robustSd(from, size), floor());
      double spreadSd = windowSd / Math.sqrt(Math.max(1, n / 4));
      if (!level(from, size, windowSd, spreadSd)) {
        trim(now, BASELINE_MILLIS);
        return;
      }
      level = settledLevel(from, size, windowSd);
      double prior = settings.sensorNoiseGrams();
      noiseSd = Math.sqrt((PRIOR_READINGS * prior * prior + n * windowSd * windowSd) / (PRIOR_READINGS + n));
      noiseSd = Math.max(noiseSd, floor());
      meanAbs = noiseSd / ABS_TO_SD;
      blockSd = Math.max(floor(), Math.min(noiseSd, quarterSpread(from, size, windowSd)));
      blockMeanAbs = blockSd / ABS_TO_SD;
      startBlock(now);
      rested();
    }

    private void rested() {
      firstOffTs = Long.MIN_VALUE;
      phase = Phase.REST;
      keepLast(3);
    }

    private void startBlock(long now) {
      blockStart = now;
      blockSum = 0;
      blockCount = 0;
    }

    private @Nullable Pending rest(long ts, double value, long dt) {
      double off = Math.abs(value - level);
      if (off <= trigger()) {
        firstOffTs = Long.MIN_VALUE;
      } else if (firstOffTs == Long.MIN_VALUE) {
        firstOffTs = ts;
      }
      double recent = median(Math.max(0, size - 3), size);
      boolean medianOff = Math.abs(recent - level) > trigger();
      // The means are looked at only when the median of three shows nothing.
      long meanStart = medianOff ? Long.MIN_VALUE : meanShift(ts);
      if (medianOff || meanStart != Long.MIN_VALUE) {
        phase = Phase.CHANGING;
        changeStart = !medianOff ? meanStart : firstOffTs == Long.MIN_VALUE ? ts : firstOffTs;
        // Keep only the readings of the change.
        int first = size;
        while (first > 0 && times[first - 1] >= changeStart) {
          first--;
        }
        drop(first);
        return null;
      }
      double a = Math.min(0.5, dt / LEVEL_TAU_MILLIS);
      level += a * (recent - level);
      double b = Math.min(0.2, dt / NOISE_TAU_MILLIS);
      meanAbs += b * (Math.min(off, SETTLE_DEVIATIONS * noiseSd) - meanAbs);
      noiseSd = Math.max(floor(), ABS_TO_SD * meanAbs);
      if (off <= trigger()) {
        blockSum += value;
        blockCount++;
      }
      long blockMillis = windowMillis() / 4;
      if (ts - blockStart >= blockMillis) {
        if (blockCount > 0) {
          double deviation = Math.abs(blockSum / blockCount - level);
          double c = Math.min(0.2, (ts - blockStart) / NOISE_TAU_MILLIS);
          blockMeanAbs += c * (Math.min(deviation, SETTLE_DEVIATIONS * blockSd) - blockMeanAbs);
          blockSd = Math.max(floor(), ABS_TO_SD * blockMeanAbs);
        }
        startBlock(ts);
      }
      trim(ts, windowMillis() / 2);
      return null;
    }

    /**
     * When the readings of the last half settle window, spikes left out, have a mean off the level by more than
     * four deviations of a quarter window's mean (and twice {@link ShelfSettings#minChangeGrams()}, so that the
     * last grams of a hand letting go or a neighbour's cross-talk start no change of their own): the time of the
     * first reading after the level, found as the point from which the readings' summed offsets are largest.
     * Otherwise {@link Long#MIN_VALUE}. This finds a small unit on a cell whose single readings are too noisy for
     * the median of three, as real cells' noise is mostly of high frequency and averages away.
     */
    private long meanShift(long now) {
      int from = window(now, windowMillis() / 2);
      if (from < 0) {
        return Long.MIN_VALUE;
      }
      double tolerance = tolerance(noiseSd);
      double sum = 0;
      for (int i = from; i < size; i++) {
        sum += Math.max(-tolerance, Math.min(tolerance, grams[i] - level));
      }
      double shift = sum / (size - from);
      if (Math.abs(shift) <= Math.max(MEAN_TRIGGER_MIN_CHANGES * settings.minChangeGrams(),
          TRIGGER_DEVIATIONS * blockSd)) {
        return Long.MIN_VALUE;
      }
      double tail = 0;
      double most = 0;
      long start = times[size - 1];
      for (int i = size - 1; i >= from; i--) {
        tail += Math.signum(shift) * Math.max(-tolerance, Math.min(tolerance, grams[i] - level));
        if (tail > most) {
          most = tail;
          start = times[i];
        }
      }
      return start;
    }

    /** The noise that a change's window is judged against: its own, but no less than and at most twice the rest's. */
    private double changeSd(int from) {
      return Math.min(Math.max(robustSd(from, size), noiseSd), 2 * noiseSd);
    }

    private @Nullable Pending changing(long now) {
      int from = window(now, windowMillis());
      if (from >= 0 && level(from, size, changeSd(from), blockSd)) {
        return finish(from, true);
      }
      if (now - changeStart >= MAX_CHANGE_MILLIS) {
        return finish(Math.max(0, size - settings.settleReadings()), false);
      }
      trim(now, windowMillis());
      return null;
    }

    /** Completes a change still in progress at the end of the input. */
    @Nullable Pending settleNow(long now) {
      if (phase != Phase.CHANGING || size == 0) {
        return null;
      }
      int from = window(now, windowMillis());
      boolean settled = from >= 0 && level(from, size, changeSd(from), blockSd);
      return finish(settled ? from : Math.max(0, size - settings.settleReadings()), settled);
    }

    private @Nullable Pending finish(int from, boolean settled) {
      double settledLevel = settledLevel(from, size, changeSd(from));
      double delta = settledLevel - level;
      // Both levels are known to about a quarter window's deviation over two (four quarters each, or more).
      double sd = Math.max(floor(), blockSd) * Math.sqrt(0.5);
      long start = changeStart;
      long end = Math.max(start, times[from]);
      level = settledLevel;
      startBlock(times[size - 1]);
      rested();
      if (Math.abs(delta) <= Math.max(settings.minChangeGrams(), SETTLE_DEVIATIONS * sd)) {
        return null;
      }
      return new Pending(new PlateChange(bin, start, end, delta, sd), settled, Math.abs(delta) <= trigger());
    }

    /**
     * The first index of the window of the last {@code millis} (at least {@link ShelfSettings#settleReadings()}
     * readings), or -1 when the readings kept do not yet cover it.
     */
    private int window(long now, long millis) {
      if (size < settings.settleReadings() || times[0] > now - millis) {
        return -1;
      }
      int from = size - 1;
      while (from > 0 && times[from - 1] >= now - millis) {
        from--;
      }
      return Math.min(from, size - settings.settleReadings());
    }

    /**
     * Whether readings {@code [from, to)} are level: nearly all near their median, for readings of deviation
     * {@code sd}, and the means of their quarters (halves, for few readings) in agreement, for quarter means of
     * deviation {@code partSd}.
     */
    private boolean level(int from, int to, double sd, double partSd) {
      int n = to - from;
      double median = median(from, to);
      double tolerance = tolerance(sd);
      int inside = 0;
      for (int i = from; i < to; i++) {
        if (Math.abs(grams[i] - median) <= tolerance) {
          inside++;
        }
      }
      if (n < 6) {
        return inside == n;
      }
      if (inside < INLIER_SHARE * n) {
        return false;
      }
      int parts = n >= 8 ? 4 : 2;
      double lowest = Double.POSITIVE_INFINITY;
      double highest = Double.NEGATIVE_INFINITY;
      for (int p = 0; p < parts; p++) {
        double mean = trimmedMean(from + n * p / parts, from + n * (p + 1) / parts, median, tolerance);
        if (Double.isNaN(mean)) {
          return false;
        }
        lowest = Math.min(lowest, mean);
        highest = Math.max(highest, mean);
      }
      double allowed = TREND_DEVIATIONS * Math.sqrt(2) * partSd * (parts == 2 ? Math.sqrt(0.5) : 1);
      return highest - lowest <= Math.max(settings.settleToleranceGrams() / 4, allowed);
    }

    private double tolerance(double sd) {
      return Math.max(settings.settleToleranceGrams(), SETTLE_DEVIATIONS * sd);
    }

    /** The mean of the readings near the median: spikes left out, high-frequency noise averaged away. */
    private double settledLevel(int from, int to, double sd) {
      double mean = trimmedMean(from, to, median(from, to), tolerance(sd));
      return Double.isNaN(mean) ? median(from, to) : mean;
    }

    private double trimmedMean(int from, int to, double centre, double tolerance) {
      double sum = 0;
      int count = 0;
      for (int i = from; i < to; i++) {
        if (Math.abs(grams[i] - centre) <= tolerance) {
          sum += grams[i];
          count++;
        }
      }
      return count == 0 ? Double.NaN : sum / count;
    }

    /** The deviation of quarter means of a level window, from how far they are from its median. */
    private double quarterSpread(int from, int to, double sd) {
      int n = to - from;
      if (n < 8) {
        return sd;
      }
      double median = median(from, to);
      double sum = 0;
      for (int p = 0; p < 4; p++) {
        double mean = trimmedMean(from + n * p / 4, from + n * (p + 1) / 4, median, tolerance(sd));
        if (!Double.isNaN(mean)) {
          sum += (mean - median) * (mean - median);
        }
      }
      return Math.sqrt(sum / 3);
    }

    private double floor() {
      return settings.sensorNoiseGrams() / 4;
    }

    private double robustSd(int from, int to) {
      double median = median(from, to);
      double[] deviations = new double[to - from];
      for (int i = from; i < to; i++) {
        deviations[i - from] = Math.abs(grams[i] - median);
      }
      return MAD_TO_SD * medianOf(deviations);
    }

    private double median(int from, int to) {
      return medianOf(Arrays.copyOfRange(grams, from, to));
    }

    private void append(long ts, double value) {
      if (size == MAX_READINGS) {
        drop(MAX_READINGS / 4);
      }
      times[size] = ts;
      grams[size] = value;
      size++;
    }

    /** Keeps the readings of the last {@code millis}, one before them, and at least the settle count. */
    private void trim(long now, long millis) {
      int first = 0;
      while (first + 1 < size - settings.settleReadings() && times[first + 1] < now - millis) {
        first++;
      }
      drop(first);
    }

    private void keepLast(int count) {
      drop(Math.max(0, size - count));
    }

    private void drop(int count) {
      if (count <= 0) {
        return;
      }
      System.arraycopy(times, count, times, 0, size - count);
      System.arraycopy(grams, count, grams, 0, size - count);
      size -= count;
    }
  }

  private static double medianOf(double[] values) {
    Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
}
