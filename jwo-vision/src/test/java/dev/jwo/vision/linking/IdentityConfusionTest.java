package dev.jwo.vision.linking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.Track;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityConfusionTest {
  static final long T = 1_764_410_400_000L;
  static final Admission ALICE = admission("c-alice", T);
  static final Admission BOB = admission("c-bob", T + 1_000);

  private final IdentityConfusion confusion = new IdentityConfusion(0.5);

  @Test
  void tracksOfTwoVisitsPassingCloseAreInDoubtFromThen() {
    Track a = track("t1", 5.0, 3.0);
    Track b = track("t2", 5.3, 3.0);
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB);

    confusion.observe(List.of(a, b), id -> Optional.ofNullable(links.get(id)), T + 20_000);

    assertThat(confusion.inDoubt(a.id(), T + 20_000)).isTrue();
    assertThat(confusion.inDoubt(b.id(), T + 25_000)).isTrue();
    assertThat(confusion.inDoubt(a.id(), T + 19_999)).as("before they met").isFalse();
  }

  @Test
  void membersOfOneVisitAndPeopleApartAreNoDoubt() {
    Track a = track("t1", 5.0, 3.0);
    Track b = track("t2", 5.3, 3.0);
    Track c = track("t3", 7.0, 3.0);
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), ALICE, c.id(), BOB);

    confusion.observe(List.of(a, b, c), id -> Optional.ofNullable(links.get(id)), T + 20_000);

    assertThat(confusion.inDoubt(a.id(), T + 30_000)).isFalse();
    assertThat(confusion.inDoubt(b.id(), T + 30_000)).isFalse();
    assertThat(confusion.inDoubt(c.id(), T + 30_000)).isFalse();
  }

  @Test
  void aContinuingTrackInheritsTheDoubt() {
    Track a = track("t1", 5.0, 3.0);
    Track b = track("t2", 5.3, 3.0);
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB);
    confusion.observe(List.of(a, b), id -> Optional.ofNullable(links.get(id)), T + 20_000);

    confusion.continued(a.id(), TrackId.of("t9"));

    assertThat(confusion.inDoubt(TrackId.of("t9"), T + 30_000)).isTrue();
  }

  private static Admission admission(String credential, long ts) {
    Credential c = Credential.of(credential);
    return new Admission(Admission.visitIdFor(c, ts), ts, GateId.of("in-1"), c, 1, null);
  }

  private static Track track(String id, double x, double y) {
    return new FakeTrack(id, T, new Position(x, y));
  }
}
