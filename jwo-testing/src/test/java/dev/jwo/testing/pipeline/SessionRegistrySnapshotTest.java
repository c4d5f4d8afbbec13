package dev.jwo.testing.pipeline;

import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.visit.Admission;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;

/** The default sessions stage passes the snapshot kit, with its shoppers coming and going as tracking tells it. */
class SessionRegistrySnapshotTest extends SnapshotStageKit<SessionRegistry> {
  private static final long T = 1_764_410_400_000L;

  @Override
  protected SessionRegistry newStage() {
    return new SessionRegistry(Set::of, new SimpleMeterRegistry());
  }

  @Override
  protected List<SensorEvent> before() {
    return List.of(entry(T, "card-4242", 2), entry(T + 1_000, "card-1313", 1), entry(T + 2_000, "card-9090", 1));
  }

  @Override
  protected List<SensorEvent> after() {
    return List.of(entry(T + 30_000, "card-7777", 1), entry(T + 40_000, "card-5555", 2));
  }

  /** Entries open visits; tracking then reports each visit's first member in, and the oldest visit's members out. */
  @Override
  protected void feed(SessionRegistry stage, SensorEvent event) {
    stage.onEvent(event);
    VisitId visit = Admission.from((EntryEvent) event).visitId();
    stage.memberEntered(visit, TrackId.of("t" + event.ts()), event.ts() + 500);
    stage.entryWindowClosed(visit, 1, event.ts() + 10_000);
    if (event.ts() >= T + 30_000) {
      stage.memberExited(Admission.visitIdFor(dev.jwo.core.GateId.of("in-1"), T), TrackId.of("t" + T),
          event.ts() + 1);
      stage.movementInDoubt(visit, "an exit nobody could be matched to", event.ts() + 2);
    }
    stage.onTimeAdvanced(event.ts() + 10_000);
  }

  @Override
  protected Object observe(SessionRegistry stage) {
    return List.of(stage.sessions(), stage.endedBy(Long.MAX_VALUE), stage.inStore());
  }
}
