package dev.jwo.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.BinId;
import dev.jwo.core.CameraId;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Position;
import dev.jwo.core.TestStores;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StorePipelineTest {
  static final long T = 1_764_410_400_000L;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  /** What every handler was told, in order, as "handler: what". */
  private final List<String> calls = new ArrayList<>();

  @Test
  void releasesEventsInEventTimeOrderOnceTheWindowHasPassed() {
    Recorder recorder = new Recorder(PipelineStage.SHELVES, calls);
    StorePipeline pipeline = pipeline(500, recorder);

    submitAll(pipeline, weight(T + 1_000), weight(T + 1_300), weight(T + 1_100), weight(T + 1_200));
    assertThat(recorder.events).as("nothing is a window behind the newest event yet").isEmpty();

    submitAll(pipeline, weight(T + 1_700));
    assertThat(recorder.events).containsExactly(weight(T + 1_000), weight(T + 1_100), weight(T + 1_200));

    pipeline.finish();
    assertThat(recorder.events).containsExactly(
        weight(T + 1_000), weight(T + 1_100), weight(T + 1_200), weight(T + 1_300), weight(T + 1_700));
  }

  @Test
  void eventsOfTheSameTimeKeepTheirArrivalOrder() {
    Recorder recorder = new Recorder(PipelineStage.SHELVES, calls);
    StorePipeline pipeline = pipeline(500, recorder);
    SensorEvent exit = new ExitEvent(T + 100, GateId.of("out-1"));
    SensorEvent entry = entry(T + 100, "c-1");

    submitAll(pipeline, weight(T + 200), exit, entry);
    pipeline.finish();

    assertThat(recorder.events).containsExactly(exit, entry, weight(T + 200));
  }

  @Test
  void anEventOlderThanWhatWasProcessedIsTooLate() {
    Recorder recorder = new Recorder(PipelineStage.SHELVES, calls);
    StorePipeline pipeline = pipeline(500, recorder);
    submitAll(pipeline, weight(T + 1_000), weight(T + 2_000));
    assertThat(recorder.events).containsExactly(weight(T + 1_000));

    Optional<Rejection> late = pipeline.submit(new ExitEvent(T + 900, GateId.of("out-1")));
    Optional<Rejection> sameTime = pipeline.submit(new ExitEvent(T + 1_000, GateId.of("out-1")));
    Optional<Rejection> withinWindow = pipeline.submit(weight(T + 1_600));

    assertThat(late).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo(RejectionReason.TOO_LATE);
      assertThat(r.message()).contains("exit event at ts " + (T + 900)).contains("100 ms late")
          .contains("reordering window is 500 ms");
    });
    assertThat(sameTime).as("an event as old as the last one processed is not too late").isEmpty();
    assertThat(withinWindow).isEmpty();
    pipeline.finish();
    assertThat(recorder.events).containsExactly(weight(T + 1_000), new ExitEvent(T + 1_000, GateId.of("out-1")),
        weight(T + 1_600), weight(T + 2_000));
    assertThat(pipeline.stats().rejected()).containsExactly(java.util.Map.entry(RejectionReason.TOO_LATE, 1L));
  }

  @Test
  void anExactDuplicateIsRejectedBeforeAndAfterTheOriginalWasProcessed() {
    Recorder recorder = new Recorder(PipelineStage.SHELVES, calls);
    StorePipeline pipeline = pipeline(500, recorder);

    assertThat(pipeline.submit(weight(T + 1_000))).isEmpty();
    assertThat(pipeline.submit(weight(T + 1_000))).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo(RejectionReason.DUPLICATE);
      assertThat(r.message()).isEqualTo("weight event at ts " + (T + 1_000) + " was already received");
    });
    assertThat(pipeline.submit(weight(T + 1_600))).isEmpty();
    assertThat(recorder.events).containsExactly(weight(T + 1_000));
    assertThat(pipeline.submit(weight(T + 1_000))).map(Rejection::reason).contains(RejectionReason.DUPLICATE);
    assertThat(pipeline.submit(new WeightEvent(T + 1_000, BinId.of("A1-1"), 1_000.5)))
        .as("another reading at the same time is not a duplicate").isEmpty();

    pipeline.finish();
    assertThat(recorder.events).containsExactly(
        weight(T + 1_000), new WeightEvent(T + 1_000, BinId.of("A1-1"), 1_000.5), weight(T + 1_600));
    assertThat(pipeline.stats().rejected()).containsEntry(RejectionReason.DUPLICATE, 2L);
  }

  static Stream<Arguments> unknownIds() {
    return Stream.of(
        Arguments.of(new EntryEvent(T, GateId.of("in-9"), Credential.of("c"), 1, null), "gate 'in-9'"),
        Arguments.of(new ExitEvent(T, GateId.of("out-9")), "gate 'out-9'"),
        Arguments.of(new WeightEvent(T, BinId.of("Z9"), 10), "bin 'Z9', which store test-001 does not have"),
        Arguments.of(new FrameEvent(T, CameraId.of("cam-9"), List.of()),
            "camera 'cam-9', which store test-001 does not have"));
  }

  @ParameterizedTest
  @MethodSource("unknownIds")
  void anEventNamingAGateBinOrCameraTheStoreDoesNotHaveIsRejected(SensorEvent event, String message) {
    Recorder recorder = new Recorder(PipelineStage.SHELVES, calls);
    StorePipeline pipeline = pipeline(0, recorder);

    assertThat(pipeline.submit(event)).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo(RejectionReason.UNKNOWN_ID);
      assertThat(r.message()).contains(message);
    });
    pipeline.finish();
    assertThat(recorder.events).isEmpty();
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of(new EntryEvent(T, GateId.of("out-1"), Credential.of("c"), 1, null),
            "entry reported at gate 'out-1', which is an EXIT gate"),
        Arguments.of(new ExitEvent(T, GateId.of("in-1")), "exit reported at gate 'in-1', which is an ENTRY gate"),
        Arguments.of(new ExitEvent(0, GateId.of("out-1")), "exit event has no valid ts: 0"),
        Arguments.of(new WeightEvent(T, BinId.of("A1-1"), 2e6), "out of range"));
  }

  @ParameterizedTest
  @MethodSource("invalidValues")
  void anEventWithAnImpossibleValueIsRejected(SensorEvent event, String message) {
    StorePipeline pipeline = pipeline(0, new Recorder(PipelineStage.SHELVES, calls));

    assertThat(pipeline.submit(event)).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_VALUE);
      assertThat(r.message()).contains(message);
    });
  }

  @Test
  void featuresFromACameraThatDeclaresNoneAreStripped() {
    Recorder recorder = new Recorder(PipelineStage.TRACKING, calls);
    StorePipeline pipeline = pipeline(0, recorder);
    PersonObservation withFeatures = new PersonObservation(new Position(3, 3), List.of(), FeatureVector.of(0.2, 0.8));

    pipeline.submit(new FrameEvent(T, CameraId.of("cam-1"), List.of(withFeatures)));
    pipeline.submit(new FrameEvent(T + 1, CameraId.of("cam-c"), List.of(withFeatures)));
    pipeline.finish();

    assertThat(recorder.events).containsExactly(
        new FrameEvent(T, CameraId.of("cam-1"), List.of(withFeatures.withoutFeatures())),
        new FrameEvent(T + 1, CameraId.of("cam-c"), List.of(withFeatures)));
  }

  @Test
  void handlersRunInStageOrderThenByClassName() {
    Set<SensorEventHandler> handlers = new LinkedHashSet<>(List.of(
        new ObserverB(calls), new ObserverA(calls), new Recorder(PipelineStage.CHECKOUT, calls),
        new Recorder(PipelineStage.SHELVES, calls), new Recorder(PipelineStage.SESSIONS, calls),
        new Recorder(PipelineStage.TRACKING, calls)));
    StorePipeline pipeline =
        new StorePipeline(TestStores.small(), handlers, new PipelineSettings(0), registry);

    pipeline.submit(entry(T, "c-1"));

    assertThat(calls).filteredOn(c -> c.contains("entry")).containsExactly(
        "SESSIONS: entry@" + T, "TRACKING: entry@" + T, "SHELVES: entry@" + T, "CHECKOUT: entry@" + T,
        "ObserverA: entry@" + T, "ObserverB: entry@" + T);
  }

  @Test
  void aThrowingHandlerIsCountedAndDoesNotStopTheOthers() {
    Recorder before = new Recorder(PipelineStage.SESSIONS, calls);
    Recorder after = new Recorder(PipelineStage.SHELVES, calls);
    StorePipeline pipeline = pipeline(0, after, new Throwing(), before);

    pipeline.submit(entry(T, "c-1"));
    pipeline.submit(weight(T + 10));
    pipeline.finish();

    assertThat(before.events).containsExactly(entry(T, "c-1"), weight(T + 10));
    assertThat(after.events).containsExactly(entry(T, "c-1"), weight(T + 10));
    assertThat(calls).contains("SHELVES: end@" + (T + 10));
    // two events and the end of the stream
    assertThat(pipeline.stats().handlerErrors()).isEqualTo(3);
    assertThat(registry.get("jwo.pipeline.handler.errors").tag("handler", "Throwing").counter().count())
        .isEqualTo(3);
    assertThat(pipeline.stats().accepted()).isEqualTo(2);
  }

  @Test
  void heartbeatsMoveEventTimeAndReleaseWhatIsAWindowBehind() {
    Recorder recorder = new Recorder(PipelineStage.SHELVES, calls);
    StorePipeline pipeline = pipeline(500, recorder);
    pipeline.submit(weight(T + 1_000));

    pipeline.advanceTo(T + 1_499);
    assertThat(recorder.events).isEmpty();
    assertThat(calls).containsExactly("SHELVES: time@" + (T + 999));

    pipeline.advanceTo(T + 1_500);
    assertThat(recorder.events).containsExactly(weight(T + 1_000));
    assertThat(pipeline.eventTime()).isEqualTo(T + 1_000);

    pipeline.advanceTo(T + 2_000);
    assertThat(pipeline.eventTime()).isEqualTo(T + 1_500);
    assertThat(calls).containsExactly("SHELVES: time@" + (T + 999), "SHELVES: weight@" + (T + 1_000),
        "SHELVES: time@" + (T + 1_000), "SHELVES: time@" + (T + 1_500));
  }

  @Test
  void anEventEarlierThanTheTimeHandlersWereToldIsTooLate() {
    Recorder recorder = new Recorder(PipelineStage.SHELVES, calls);
    StorePipeline pipeline = pipeline(500, recorder);
    pipeline.submit(weight(T + 1_000));
    pipeline.advanceTo(T + 1_499);
    assertThat(calls).containsExactly("SHELVES: time@" + (T + 999));

    Optional<Rejection> rejection = pipeline.submit(new ExitEvent(T + 900, GateId.of("out-1")));
    pipeline.finish();

    assertThat(rejection).map(Rejection::reason).contains(RejectionReason.TOO_LATE);
    assertThat(recorder.events).containsExactly(weight(T + 1_000));
  }

  @Test
  void finishFlushesTheBufferAndEndsTheStreamOnce() {
    Recorder recorder = new Recorder(PipelineStage.SHELVES, calls);
    StorePipeline pipeline = pipeline(60_000, recorder);
    submitAll(pipeline, weight(T + 2_000), weight(T + 1_000));
    assertThat(registry.get("jwo.pipeline.buffered").gauge().value()).isEqualTo(2);

    pipeline.finish();
    pipeline.finish();

    assertThat(recorder.events).containsExactly(weight(T + 1_000), weight(T + 2_000));
    assertThat(calls).filteredOn(c -> c.contains("end@")).containsExactly("SHELVES: end@" + (T + 2_000));
    assertThat(calls.get(calls.size() - 1)).isEqualTo("SHELVES: end@" + (T + 2_000));
    assertThat(registry.get("jwo.pipeline.buffered").gauge().value()).isZero();
    assertThatThrownBy(() -> pipeline.submit(weight(T + 3_000))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSameInputGivesTheSameHandlerCallsEveryTime() {
    List<SensorEvent> arrivals = jitteredArrivals(new Random(42));
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();

    run(arrivals, first);
    run(arrivals, second);

    assertThat(first).isEqualTo(second);
    List<SensorEvent> inEventTime = new ArrayList<>(arrivals);
    inEventTime.sort(Comparator.comparingLong(SensorEvent::ts));
    assertThat(first).filteredOn(c -> c.startsWith("SESSIONS: weight"))
        .containsExactlyElementsOf(inEventTime.stream().map(e -> "SESSIONS: weight@" + e.ts()).toList());
    assertThat(first).hasSizeGreaterThan(2 * arrivals.size());
  }

  @Test
  void countsEveryEventInMetricsWithItsTypeOutcomeAndReason() {
    StorePipeline pipeline = pipeline(0, new Recorder(PipelineStage.SHELVES, calls));
    submitAll(pipeline, weight(T + 10), weight(T + 20), entry(T + 30, "c-1"));
    pipeline.submit(new WeightEvent(T + 40, BinId.of("Z9"), 1));
    pipeline.submit(weight(T + 5));
    pipeline.recordRejection("unreadable", new Rejection(RejectionReason.MALFORMED, "events.jsonl:3: not valid JSON"));

    assertThat(count("weight", "accepted", "none")).isEqualTo(2);
    assertThat(count("entry", "accepted", "none")).isEqualTo(1);
    assertThat(count("weight", "rejected", "unknown_id")).isEqualTo(1);
    assertThat(count("weight", "rejected", "too_late")).isEqualTo(1);
    assertThat(count("unreadable", "rejected", "malformed")).isEqualTo(1);
    assertThat(pipeline.stats()).isEqualTo(new PipelineStats(3, java.util.Map.of(
        RejectionReason.UNKNOWN_ID, 1L, RejectionReason.TOO_LATE, 1L, RejectionReason.MALFORMED, 1L), 0));
    assertThat(pipeline.stats().rejectedTotal()).isEqualTo(3);
  }

  private double count(String type, String outcome, String reason) {
    return registry.get("jwo.pipeline.events")
        .tags("type", type, "outcome", outcome, "reason", reason)
        .counter()
        .count();
  }

  private void run(List<SensorEvent> arrivals, List<String> log) {
    StorePipeline pipeline = new StorePipeline(TestStores.small(),
        new LinkedHashSet<>(List.of(new ObserverB(log), new Recorder(PipelineStage.SESSIONS, log), new ObserverA(log))),
        new PipelineSettings(300), new SimpleMeterRegistry());
    for (SensorEvent event : arrivals) {
      assertThat(pipeline.submit(event)).isEmpty();
    }
    pipeline.finish();
  }

  /** Weight readings every 50 ms, each arriving up to 250 ms late. */
  private static List<SensorEvent> jitteredArrivals(Random random) {
    List<long[]> arrivals = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      long ts = T + 50L * i;
      arrivals.add(new long[] {ts, ts + random.nextInt(250)});
    }
    arrivals.sort(Comparator.comparingLong(a -> a[1]));
    List<SensorEvent> events = new ArrayList<>();
    arrivals.forEach(a -> events.add(weight(a[0])));
    assertThat(events).as("some events arrive out of order").isNotEqualTo(
        events.stream().sorted(Comparator.comparingLong(SensorEvent::ts)).toList());
    return Collections.unmodifiableList(events);
  }

  private StorePipeline pipeline(long window, SensorEventHandler... handlers) {
    return new StorePipeline(TestStores.small(), new LinkedHashSet<>(List.of(handlers)),
        new PipelineSettings(window), registry);
  }

  private static void submitAll(StorePipeline pipeline, SensorEvent... events) {
    for (SensorEvent event : events) {
      assertThat(pipeline.submit(event)).as("rejection of %s", event).isEmpty();
    }
  }

  static WeightEvent weight(long ts) {
    return new WeightEvent(ts, BinId.of("A1-1"), 1_000);
  }

  static EntryEvent entry(long ts, String credential) {
    return new EntryEvent(ts, GateId.of("in-1"), Credential.of(credential), 1, null);
  }

  /** Records what it is told, under its stage's name. */
  static class Recorder implements SensorEventHandler {
    final PipelineStage stage;
    final List<String> log;
    final List<SensorEvent> events = new ArrayList<>();

    Recorder(PipelineStage stage, List<String> log) {
      this.stage = stage;
      this.log = log;
    }

    String name() {
      return stage.name();
    }

    @Override
    public PipelineStage stage() {
      return stage;
    }

    @Override
    public void onEvent(SensorEvent event) {
      events.add(event);
      log.add(name() + ": " + event.type() + "@" + event.ts());
    }

    @Override
    public void onTimeAdvanced(long ts) {
      log.add(name() + ": time@" + ts);
    }

    @Override
    public void onEndOfStream(long ts) {
      log.add(name() + ": end@" + ts);
    }
  }

  static final class ObserverA extends Recorder {
    ObserverA(List<String> log) {
      super(PipelineStage.OBSERVERS, log);
    }

    @Override
    String name() {
      return "ObserverA";
    }
  }

  static final class ObserverB extends Recorder {
    ObserverB(List<String> log) {
      super(PipelineStage.OBSERVERS, log);
    }

    @Override
    String name() {
      return "ObserverB";
    }
  }

  static final class Throwing implements SensorEventHandler {
    @Override
    public PipelineStage stage() {
      return PipelineStage.TRACKING;
    }

    @Override
    public void onEvent(SensorEvent event) {
      throw new IllegalStateException("broken handler");
    }

    @Override
    public void onEndOfStream(long ts) {
      throw new IllegalStateException("broken handler");
    }
  }
}
