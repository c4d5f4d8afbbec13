package dev.jwo.vision.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VisitPathsTest {
  private static final long T = 1_764_410_400_000L;
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Admission visit = Admission.from(new EntryEvent(T, GateId.of("in-1"), Credential.of("c-1"), 2, null));

  private VisitPaths paths(boolean locationAllowed) {
    return new VisitPaths(storage, use -> locationAllowed && use.category() == DataCategory.LOCATION_TRACK
        && use.subject() != null ? GuardDecision.allow("ok", "test") : GuardDecision.deny("refused", "test"),
        new Subjects(storage, SubjectKey.of(new byte[32])), registry);
  }

  @Test
  void eachTrackIsSampledAtMostOnceASecondAndThePathIsKeptWhenTheVisitEnds() {
    VisitPaths paths = paths(true);
    for (long ts = T; ts < T + 3_000; ts += 100) {
      paths.sample(visit.visitId(), TrackId.of("t-1"), new Position(1.234, 5.678), ts);
      paths.sample(visit.visitId(), TrackId.of("t-2"), new Position(2, 3), ts + 50);
    }
    assertThat(paths.path(visit.visitId())).as("not kept while the visit lasts").isEmpty();
    paths.visitEnded(visit, T + 4_000);

    VisitPaths.StoredPath path = paths.path(visit.visitId()).orElseThrow();
    assertThat(path.samples()).containsExactly(
        new VisitPaths.Sample(T, "t-1", 1.23, 5.68), new VisitPaths.Sample(T + 50, "t-2", 2, 3),
        new VisitPaths.Sample(T + 1_000, "t-1", 1.23, 5.68), new VisitPaths.Sample(T + 1_050, "t-2", 2, 3),
        new VisitPaths.Sample(T + 2_000, "t-1", 1.23, 5.68), new VisitPaths.Sample(T + 2_050, "t-2", 2, 3));
    assertThat(path.enteredTs()).isEqualTo(T);
    assertThat(path.endedTs()).isEqualTo(T + 4_000);
    assertThat(paths.about(path.subject(), Set.of(visit.visitId().value())).get(0).lines()).hasSize(2);
  }

  @Test
  void aPathTheGuardDoesNotAllowIsNotKept() {
    VisitPaths paths = paths(false);
    paths.sample(visit.visitId(), TrackId.of("t-1"), new Position(1, 1), T);
    paths.visitEnded(visit, T + 4_000);

    assertThat(paths.path(visit.visitId())).isEmpty();
    assertThat(registry.counter("jwo.vision.paths", "outcome", "refused").count()).isEqualTo(1);
  }

  @Test
  void aPathTooLongForOneRowKeepsEverySecondSampleUntilItFits() {
    VisitPaths paths = paths(true);
    long hours = 6;
    for (long ts = T; ts < T + Duration.ofHours(hours).toMillis(); ts += 1_000) {
      paths.sample(visit.visitId(), TrackId.of("track-of-a-long-visit"), new Position(10.25, 11.75), ts);
    }
    paths.visitEnded(visit, T + Duration.ofHours(hours).toMillis());

    VisitPaths.StoredPath path = paths.path(visit.visitId()).orElseThrow();
    assertThat(storage.table(VisitPaths.TABLE).get(visit.visitId().value()).orElseThrow().value().length)
        .isLessThanOrEqualTo(VisitPaths.MAX_ROW_BYTES);
    assertThat(path.samples().size()).isBetween(21_600 / 4, 21_600 / 2);
    assertThat(path.samples().get(1).ts() - path.samples().get(0).ts()).isEqualTo(2_000);
  }
}
