package dev.jwo.sim.internal;

import dev.jwo.core.Credential;
import dev.jwo.core.Gate;
import dev.jwo.core.GateKind;
import dev.jwo.core.Position;
import dev.jwo.sim.Scenario;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plans every party's visit before any sensor is simulated: when it scans in and its members walk through the
 * entry gate (one party at a time per gate), the bins each member stops at and what their hands do there,
 * and when each member walks out (one person at a time per exit gate, waiting in line when it is busy).
 */
final class ShopperPlanner {
  /** One person passing an exit gate. */
  record Pass(long ts, Gate gate, Person person) {}

  /** Everything planned; {@code tailgaters} are among {@code people}, not among {@code parties}. */
  record Plan(List<Party> parties, List<Person> people, List<ShelfAction> actions, List<Pass> exits,
      List<Tailgater> tailgaters) {}

  /** A tailgater (a party of one that scanned nothing) and the party they followed in. */
  record Tailgater(Party self, Party behind) {}

  private enum ActKind { TAKE, PUT, INSPECT }

  /** One planned hand action at a stop; {@code slot} may be a neighbour of the stop's bin (a wrong put-back). */
  private record Act(ActKind kind, StoreModel.Slot slot, int units, long id, long takeId) {}

  private static final class Stop {
    final StoreModel.Slot slot;
    final List<Act> acts = new ArrayList<>();

    Stop(StoreModel.Slot slot) {
      this.slot = slot;
    }
  }

  private final StoreModel store;
  private final Scenario.Shoppers config;
  /** The planner's draws; a tailgater's are made from {@link #tailgating}, so the parties' plans stay the same. */
  private SplittableRandom random;
  private final double tailgaterShare;
  private final SplittableRandom tailgating;
  private final long startTs;
  private final double[] popularity;
  private final List<Gate> entries;
  private final List<Gate> exitGates;
  private final List<ShelfAction> actions = new ArrayList<>();
  private long nextActId = 1;

  ShopperPlanner(StoreModel store, Scenario.Shoppers config, SplittableRandom random, long startTs) {
    this(store, config, random, startTs, 0, new SplittableRandom(0));
  }

  /**
   * @param tailgaterShare the share of parties a tailgater follows in
   * @param tailgating the draws of tailgaters, apart from the parties'
   */
  ShopperPlanner(StoreModel store, Scenario.Shoppers config, SplittableRandom random, long startTs,
      double tailgaterShare, SplittableRandom tailgating) {
    this.tailgaterShare = tailgaterShare;
    this.tailgating = tailgating;
    this.store = store;
    this.config = config;
    this.random = random;
    this.startTs = startTs;
    this.entries = store.layout().gates().stream().filter(g -> g.kind() == GateKind.ENTRY).toList();
    this.exitGates = store.layout().gates().stream().filter(g -> g.kind() == GateKind.EXIT).toList();
    // Some bins sell far more than others (eye level more than the floor): a shuffled Zipf-like popularity.
    List<StoreModel.Slot> slots = store.slots();
    int[] rank = new int[slots.size()];
    for (int i = 0; i < rank.length; i++) {
      rank[i] = i;
    }
    for (int i = rank.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = rank[i];
      rank[i] = rank[j];
      rank[j] = t;
    }
    popularity = new double[slots.size()];
    double sum = 0;
    for (int i = 0; i < slots.size(); i++) {
      double z = slots.get(i).bin().front().z();
      double eyeLevel = z > 0.6 && z < 1.6 ? 1.0 : 0.6;
      sum += eyeLevel / Math.pow(rank[i] + 1, 0.6);
      popularity[i] = sum;
    }
  }

  Plan plan() {
    int visits = config.visits();
    double spanMillis = config.arrivalMinutes() * 60_000;
    long[] arrivals = new long[visits];
    for (int i = 0; i < visits; i++) {
      arrivals[i] = startTs + 3_000 + (long) (random.nextDouble() * spanMillis);
    }
    java.util.Arrays.sort(arrivals);
    long[] gateFree = new long[entries.size()];
    List<Party> parties = new ArrayList<>();
    List<Person> people = new ArrayList<>();
    List<Tailgater> tailgaters = new ArrayList<>();
    for (int i = 0; i < visits; i++) {
      int g = random.nextInt(entries.size());
      Gate gate = entries.get(g);
      long scan = Math.max(arrivals[i], gateFree[g]);
      int size = partySize();
      String consent = random.nextDouble() < config.consentShare() ? "bio-2026-01" : null;
      Party party = new Party(i, Credential.of(credential()), size, consent, gate, scan);
      long pass = scan + 600 + random.nextInt(600);
      for (int m = 0; m < size; m++) {
        Person person = newPerson(party, people.size());
        double x = gate.position().x() + 0.12 * random.nextGaussian();
        person.start(pass - Math.round(800 / person.speed), new Position(x, -0.8), Math.PI / 2);
        person.walkTo(new Position(x, 0.0));
        person.walkTo(new Position(x + 0.3 * random.nextGaussian(), 1.2 + 0.3 * random.nextDouble()));
        person.aisle = 0;
        party.members.add(person);
        people.add(person);
        pass += 900 + random.nextInt(1_200);
      }
      gateFree[g] = pass + random.nextInt(1_000);
      shop(party);
      parties.add(party);
      if (tailgaterShare > 0 && tailgating.nextDouble() < tailgaterShare) {
        Party tailgater = tailgate(party, tailgaters.size(), people);
        tailgaters.add(new Tailgater(tailgater, party));
        gateFree[g] = Math.max(gateFree[g], tailgater.scanTs + 900 + tailgating.nextInt(1_000));
      }
    }
    List<Pass> exits = exitQueue(people);
    actions.sort(Comparator.comparingLong(ShelfAction::ts).thenComparingLong(ShelfAction::id));
    return new Plan(parties, people, List.copyOf(actions), exits, List.copyOf(tailgaters));
  }

  /**
   * A person who walks in close behind the last member of {@code party} without scanning (0.5 to 1.1 s after them,
   * where the next member of a party would follow 0.9 to 2.1 s apart), then shops and leaves like anyone else. Drawn
   * from the tailgaters' own random stream.
   */
  private Party tailgate(Party party, int number, List<Person> people) {
    SplittableRandom parties = random;
    random = tailgating;
    try {
      Person last = party.members.get(party.members.size() - 1);
      long cross = last.waypoints.get(1).ts() + 500 + random.nextInt(600);
      Party tailgater = new Party(-1 - number, Credential.of("tailgater-" + (number + 1)), 1, null, party.entryGate,
          cross, true);
      Person person = newPerson(tailgater, people.size());
      double x = party.entryGate.position().x() + 0.12 * random.nextGaussian();
      person.start(cross - Math.round(800 / person.speed), new Position(x, -0.8), Math.PI / 2);
      person.walkTo(new Position(x, 0.0));
      person.walkTo(new Position(x + 0.3 * random.nextGaussian(), 1.2 + 0.3 * random.nextDouble()));
      person.aisle = 0;
      tailgater.members.add(person);
      people.add(person);
      shop(tailgater);
      return tailgater;
    } finally {
      random = parties;
    }
  }

  private int partySize() {
    List<Double> weights = config.partySizeWeights();
    double total = weights.stream().mapToDouble(Double::doubleValue).sum();
    double r = random.nextDouble() * total;
    for (int i = 0; i < 4; i++) {
      r -= weights.get(i);
      if (r < 0) {
        return i + 1;
      }
    }
    return 1;
  }

  private String credential() {
    byte[] bytes = new byte[6];
    random.nextBytes(bytes);
    return "c-" + HexFormat.of().formatHex(bytes);
  }

  private Person newPerson(Party party, int index) {
    double speed = Math.max(0.7, Math.min(1.6, 1.15 + 0.15 * random.nextGaussian()));
    double laneOffset = 0.35 * (random.nextDouble() * 2 - 1);
    double height = Math.max(1.1, Math.min(1.65, 1.42 + 0.09 * random.nextGaussian()));
    double[] clothing = new double[8];
    double sum = 0;
    int dominant = random.nextInt(8);
    for (int i = 0; i < 8; i++) {
      clothing[i] = -Math.log(1 - random.nextDouble()) + (i == dominant ? 2.5 : 0);
      sum += clothing[i];
    }
    for (int i = 0; i < 8; i++) {
      clothing[i] /= sum;
    }
    double[] face = new double[32];
    double norm = 0;
    for (int i = 0; i < face.length; i++) {
      face[i] = random.nextGaussian();
      norm += face[i] * face[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < face.length; i++) {
      face[i] /= norm;
    }
    return new Person(String.format("p-%05d", index + 1), index, party, speed, laneOffset, height, clothing, face);
  }

  // ---- shopping ----

  private void shop(Party party) {
    if (party.size >= 2 && random.nextDouble() < config.togetherShare()) {
      Person leader = party.members.get(0);
      List<Stop> stops = stops();
      List<long[]> windows = new ArrayList<>();
      for (Stop stop : stops) {
        windows.add(visit(leader, stop));
      }
      for (int m = 1; m < party.members.size(); m++) {
        accompany(party.members.get(m), stops, windows);
      }
    } else {
      for (Person person : party.members) {
        for (Stop stop : stops()) {
          visit(person, stop);
        }
      }
    }
    for (Person person : party.members) {
      walkToExitLine(person);
    }
  }

  /** The stops of one shopper, in the order they walk them, with what their hands do at each. */
  private List<Stop> stops() {
    int count = random.nextDouble() < config.browseOnlyShare() ? 0 : 1 + poisson(config.meanStops() - 1);
    count = Math.min(count, Math.min(15, store.slots().size()));
    List<StoreModel.Slot> chosen = new ArrayList<>();
    for (int attempts = 0; chosen.size() < count && attempts < count * 20; attempts++) {
      StoreModel.Slot slot = popularSlot();
      if (!chosen.contains(slot)) {
        chosen.add(slot);
      }
    }
    if (random.nextDouble() < 0.8) {
      // Most people walk the store aisle by aisle, back and forth.
      chosen.sort(Comparator.comparingInt(StoreModel.Slot::aisle)
          .thenComparingDouble(s -> (s.aisle() % 2 == 0 ? 1 : -1) * s.bin().front().x()));
    }
    List<Stop> stops = new ArrayList<>();
    for (StoreModel.Slot slot : chosen) {
      stops.add(new Stop(slot));
    }
    List<Stop> returns = new ArrayList<>();
    for (int i = 0; i < stops.size(); i++) {
      Stop stop = stops.get(i);
      if (random.nextDouble() < config.inspectShare()) {
        stop.acts.add(new Act(ActKind.INSPECT, stop.slot, 1, nextActId++, 0));
      }
      int units = random.nextDouble() < config.multiUnitShare() ? 2 + (random.nextDouble() < 0.3 ? 1 : 0) : 1;
      List<Act> takes = new ArrayList<>();
      if (units == 1 || random.nextDouble() < 0.5) {
        takes.add(new Act(ActKind.TAKE, stop.slot, units, nextActId++, 0));
      } else {
        for (int u = 0; u < units; u++) {
          takes.add(new Act(ActKind.TAKE, stop.slot, 1, nextActId++, 0));
        }
      }
      stop.acts.addAll(takes);
      if (random.nextDouble() < config.putBackShare()) {
        Act take = takes.get(random.nextInt(takes.size()));
        boolean wrongBin = random.nextDouble() < config.wrongBinShare();
        boolean later = random.nextDouble() < 0.5;
        if (!wrongBin && !later) {
          stop.acts.add(new Act(ActKind.PUT, stop.slot, 1, nextActId++, take.id()));
        } else if (!wrongBin) {
          Stop back = new Stop(stop.slot);
          back.acts.add(new Act(ActKind.PUT, stop.slot, 1, nextActId++, take.id()));
          returns.add(back);
        } else if (later && i + 1 < stops.size()) {
          Stop next = stops.get(i + 1 + random.nextInt(stops.size() - i - 1));
          next.acts.add(0, new Act(ActKind.PUT, next.slot, 1, nextActId++, take.id()));
        } else {
          List<StoreModel.Slot> near = store.neighbours(stop.slot);
          StoreModel.Slot wrong = near.get(random.nextInt(near.size()));
          stop.acts.add(new Act(ActKind.PUT, wrong, 1, nextActId++, take.id()));
        }
      }
    }
    // Walking back to return something happens later in the visit.
    for (Stop back : returns) {
      int after = stops.indexOf(stops.stream().filter(s -> s.acts.stream()
          .anyMatch(a -> a.id() == back.acts.get(0).takeId())).findFirst().orElseThrow());
      int at = after + 1 + random.nextInt(stops.size() - after);
      stops.add(at, back);
    }
    return stops;
  }

  private StoreModel.Slot popularSlot() {
    double r = random.nextDouble() * popularity[popularity.length - 1];
    int lo = 0;
    int hi = popularity.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (popularity[mid] < r) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return store.slots().get(lo);
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

  /** Walks {@code person} to {@code stop} and does its acts; returns when they arrived and when they left. */
  private long[] visit(Person person, Stop stop) {
    Position stand = new Position(
        stop.slot.bin().front().x() + 0.3 * (random.nextDouble() - 0.5), stop.slot.standY());
    walkTo(person, stand, stop.slot.aisle());
    long arrived = person.now();
    double facing = facingOf(stop.slot);
    person.stayUntil(person.now() + 500 + random.nextInt(2_500), facing);
    for (Act act : stop.acts) {
      reach(person, act, facing);
      person.stayUntil(person.now() + 300 + random.nextInt(900), facing);
    }
    person.stayUntil(person.now() + random.nextInt(1_500), facing);
    return new long[] {arrived, person.now()};
  }

  /** A companion of a party shopping together: stands beside the leader, and sometimes takes something too. */
  private void accompany(Person person, List<Stop> stops, List<long[]> windows) {
    for (int i = 0; i < stops.size(); i++) {
      Stop stop = stops.get(i);
      long[] window = windows.get(i);
      StoreModel.Slot beside = besideSlot(stop.slot);
      Position stand = new Position(beside.bin().front().x() + 0.2 * (random.nextDouble() - 0.5), beside.standY());
      walkTo(person, stand, beside.aisle());
      double facing = facingOf(beside);
      if (random.nextDouble() < 0.5) {
        // Reaches into the bin beside the leader's at about the same moment: hands 0.5 m apart, both busy.
        long at = Math.max(person.now(), window[0] + random.nextInt(2_500));
        person.stayUntil(at, facing);
        ActKind kind = random.nextDouble() < config.inspectShare() ? ActKind.INSPECT : ActKind.TAKE;
        reach(person, new Act(kind, beside, 1, nextActId++, 0), facing);
      }
      person.stayUntil(Math.max(person.now(), window[1] + random.nextInt(1_000)), facing);
    }
  }

  /** A bin next to {@code slot} on the same shelf face, preferring the same height. */
  private StoreModel.Slot besideSlot(StoreModel.Slot slot) {
    List<StoreModel.Slot> near = store.boardNeighbours(slot);
    if (near.isEmpty()) {
      near = store.neighbours(slot);
    }
    return near.isEmpty() ? slot : near.get(random.nextInt(near.size()));
  }

  private static double facingOf(StoreModel.Slot slot) {
    return slot.face() == 0 ? Math.PI / 2 : -Math.PI / 2;
  }

  private void walkTo(Person person, Position to, int aisle) {
    person.walkAlong(store.route(person.at(), person.aisle, to, aisle, person.laneOffset));
    person.aisle = aisle;
  }

  private void reach(Person person, Act act, double facing) {
    long start = person.now();
    long in = start + 350 + random.nextInt(250);
    long dwell = switch (act.kind()) {
      case INSPECT -> 2_500 + random.nextInt(2_000);
      case PUT -> 700 + random.nextInt(700);
      case TAKE -> 800 + random.nextInt(1_200) + 300L * (act.units() - 1);
    };
    long out = in + dwell;
    long end = out + 350 + random.nextInt(250);
    Position body = person.at();
    double dx = act.slot().bin().front().x() - body.x();
    boolean rightHand = dx == 0 ? random.nextBoolean() : (dx > 0) == (facing > 0) ^ random.nextDouble() < 0.2;
    double along = (random.nextDouble() - 0.5) * act.slot().bin().widthMetres() * 0.6;
    person.reaches.add(new Person.Reach(act.slot(), start, in, out, end, rightHand, along));
    switch (act.kind()) {
      case TAKE -> actions.add(new ShelfAction(act.id(), in + (long) (dwell * (0.3 + 0.4 * random.nextDouble())), 0,
          act.slot(), person, ShelfAction.Kind.TAKE, act.units(), 0));
      case PUT -> actions.add(new ShelfAction(act.id(), in + (long) (dwell * (0.4 + 0.3 * random.nextDouble())), 0,
          act.slot(), person, ShelfAction.Kind.PUT, 1, act.takeId()));
      case INSPECT -> actions.add(new ShelfAction(act.id(), in + (long) (dwell * (0.15 + 0.1 * random.nextDouble())),
          in + (long) (dwell * (0.75 + 0.15 * random.nextDouble())), act.slot(), person, ShelfAction.Kind.INSPECT,
          1, 0));
    }
    person.stayUntil(end, facing);
  }

  // ---- leaving ----

  private void walkToExitLine(Person person) {
    Gate gate = exitGates.get(random.nextInt(exitGates.size()));
    Position line = new Position(gate.position().x() + 0.3 * random.nextGaussian(), 1.4 + 0.7 * random.nextDouble());
    walkTo(person, line, 0);
  }

  /**
   * Lets people out one at a time: in the order they reach the exit area, each gate passes one person at a
   * time, about a second apart; whoever finds it busy waits where they stand.
   */
  private List<Pass> exitQueue(List<Person> people) {
    List<Person> order = new ArrayList<>(people);
    order.sort(Comparator.comparingLong(Person::now).thenComparingInt(p -> p.index));
    long[] gateFree = new long[exitGates.size()];
    List<Pass> passes = new ArrayList<>();
    for (Person person : order) {
      Position at = person.at();
      int g = 0;
      for (int i = 1; i < exitGates.size(); i++) {
        if (exitGates.get(i).position().distanceTo(at) < exitGates.get(g).position().distanceTo(at)) {
          g = i;
        }
      }
      Gate gate = exitGates.get(g);
      Position through = new Position(gate.position().x() + 0.1 * random.nextGaussian(), 0.0);
      long walk = Math.max(1, Math.round(at.distanceTo(through) / person.speed * 1000));
      long pass = Math.max(person.now() + walk, gateFree[g]);
      gateFree[g] = pass + 900 + random.nextInt(900);
      person.stayUntil(pass - walk, -Math.PI / 2);
      person.walkTo(through);
      long passed = person.now();
      person.walkTo(new Position(person.at().x(), -0.8));
      person.exitTs = passed;
      passes.add(new Pass(passed, gate, person));
    }
    passes.sort(Comparator.comparingLong(Pass::ts).thenComparingInt(p -> p.person().index));
    return passes;
  }
}
