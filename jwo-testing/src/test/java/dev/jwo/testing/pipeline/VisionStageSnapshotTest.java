package dev.jwo.testing.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditCheckpoints;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.evidence.CaptureLog;
import dev.jwo.compliance.keys.AuditKey;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.policy.Policies;
import dev.jwo.core.GateId;
import dev.jwo.core.Position;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.PartyMovements;
import dev.jwo.testing.compliance.FakeComplianceGuard;
import dev.jwo.testing.scenario.StoreScript;
import dev.jwo.vision.internal.VisionStage;
import dev.jwo.vision.linking.LinkerSettings;
import dev.jwo.vision.tracking.KalmanTracker;
import dev.jwo.vision.tracking.TrackerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The default vision stage (with the Kalman tracker) passes the snapshot kit: a shopper in and out before the
 * snapshot, one who came in before it and leaves after it, and one who comes in after it. What the stage tells
 * the sessions (members in and out, doubts) after the snapshot must be the same from the restored stage.
 */
class VisionStageSnapshotTest extends SnapshotStageKit<VisionStage> {
  private static final long T = 1_764_410_400_000L;
  private static final StoreLayout LAYOUT = StoreScript.smallStore("store-1", "US-CA");

  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final Subjects subjects = new Subjects(storage, SubjectKey.random());
  private final AuditChain audit = new AuditChain(storage, subjects, AuditKey.random(), AuditCheckpoints.inMemory());
  private final CaptureLog captures = new CaptureLog(audit, Policies.resolve("US-CA"),
      new PartyRoster(storage, audit, subjects), subjects);
  private final IdentityHashMap<VisionStage, Movements> movements = new IdentityHashMap<>();
  private final List<SensorEvent> day = day();
  /** When the second shopper is inside: taken with their track confirmed and linked, before they leave. */
  private final long snapshot = entryOf(1) + 12_000;

  @Override
  protected VisionStage newStage() {
    Movements told = new Movements();
    VisionStage stage = new VisionStage(LAYOUT, new KalmanTracker(TrackerSettings.DEFAULTS), LinkerSettings.DEFAULTS,
        new FakeComplianceGuard(), told, new SimpleMeterRegistry(), captures);
    movements.put(stage, told);
    return stage;
  }

  @Override
  protected List<SensorEvent> before() {
    return day.stream().filter(e -> e.ts() < snapshot).toList();
  }

  @Override
  protected List<SensorEvent> after() {
    return day.stream().filter(e -> e.ts() >= snapshot).toList();
  }

  /** What the stage told the sessions from the snapshot on, and who it tracks for each visit at the end. */
  @Override
  protected Object observe(VisionStage stage) {
    List<Object> seen = new ArrayList<>(movements.get(stage).since(snapshot));
    for (int i = 0; i < 3; i++) {
      seen.add(stage.membersTracked(visit(i)));
    }
    seen.add(stage.shopperAt(new Position(5, 3.5), snapshot + 1_000, 1.0));
    return seen;
  }

  /** The day is one that matters: each shopper is seen in, and the first two out, one on each side. */
  @Test
  void theDaySeesShoppersInAndOutOnBothSidesOfTheSnapshot() {
    VisionStage stage = newStage();
    day.forEach(e -> feed(stage, e));
    List<String> calls = movements.get(stage).calls;

    for (int i = 0; i < 3; i++) {
      String entered = "entered " + visit(i);
      assertThat(calls).anyMatch(c -> c.startsWith(entered));
    }
    assertThat(movements.get(stage).since(snapshot)).anyMatch(c -> c.startsWith("exited " + visit(1)))
        .noneMatch(c -> c.contains(visit(0).value()));
    assertThat(calls).anyMatch(c -> c.startsWith("exited " + visit(0)));
  }

  private List<SensorEvent> day() {
    StoreScript script = new StoreScript(LAYOUT, T, 7);
    script.shopper("card-4242", 0).take("A1-1", 1);
    script.shopper("card-1313", 20_000).take("A1-3", 2).take("A1-5", 1);
    script.shopper("card-9090", 45_000).take("A1-4", 1);
    return script.events();
  }

  private long entryOf(int shopper) {
    return day.stream().filter(EntryEvent.class::isInstance).skip(shopper).findFirst().orElseThrow().ts();
  }

  private VisitId visit(int shopper) {
    return Admission.visitIdFor(GateId.of("in-1"), entryOf(shopper));
  }

  /** What a stage told the sessions, with when. */
  private static final class Movements implements PartyMovements {
    final List<String> calls = new ArrayList<>();
    final List<Long> times = new ArrayList<>();

    List<String> since(long ts) {
      List<String> since = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        if (times.get(i) >= ts) {
          since.add(calls.get(i));
        }
      }
      return since;
    }

    private void told(long ts, String format, Object... args) {
      calls.add(String.format(Locale.ROOT, format, args));
      times.add(ts);
    }

    @Override
    public void memberEntered(VisitId visit, TrackId track, long ts) {
      told(ts, "entered %s as %s at %d", visit, track, ts);
    }

    @Override
    public void entryWindowClosed(VisitId visit, int membersSeen, long ts) {
      told(ts, "window of %s closed with %d at %d", visit, membersSeen, ts);
    }

    @Override
    public void memberExited(VisitId visit, TrackId track, long ts) {
      told(ts, "exited %s as %s at %d", visit, track, ts);
    }

    @Override
    public void unmatchedExit(GateId gate, long ts) {
      told(ts, "unmatched exit at %s at %d", gate, ts);
    }

    @Override
    public void movementInDoubt(VisitId visit, String doubt, long ts) {
      told(ts, "doubt of %s (%s) at %d", visit, doubt, ts);
    }

    @Override
    public void movementInDoubt(VisitId visit, String doubt, double probabilityRight, long ts) {
      told(ts, "doubt of %s (%s, p %.6f) at %d", visit, doubt, probabilityRight, ts);
    }
  }
}
