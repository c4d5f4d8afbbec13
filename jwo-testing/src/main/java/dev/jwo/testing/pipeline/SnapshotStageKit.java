package dev.jwo.testing.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.pipeline.SnapshotStage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link SnapshotStage}, for any stage that exports its state into the pipeline's snapshots: a
 * stage restored from a snapshot goes on exactly as the stage it was taken from, its state reads back to itself,
 * holds no raw credential, and a format it does not know is refused. Extend it with the stage and a day of input:
 *
 * <pre>{@code
 * class MyStageSnapshotTest extends SnapshotStageKit<MyStage> {
 *   protected MyStage newStage() { return new MyStage(...); }            // a fresh one each call
 *   protected List<SensorEvent> before() { return ...; }                 // entries with credentials among them
 *   protected List<SensorEvent> after() { return ...; }
 *   protected Object observe(MyStage stage) { return stage.whatItDecided(); }
 * }
 * }</pre>
 *
 * @param <S> the stage under test
 */
public abstract class SnapshotStageKit<S extends SensorEventHandler & SnapshotStage> {

  /** A fresh stage, in the state it starts a day with. */
  protected abstract S newStage();

  /** Input up to the snapshot, in event-time order; entries among it carry credentials. */
  protected abstract List<SensorEvent> before();

  /** Input after the snapshot, in event-time order. */
  protected abstract List<SensorEvent> after();

  /** What the stage decided or holds, as a user sees it: compared between the original and the restored stage. */
  protected abstract Object observe(S stage);

  /** Gives the stage one event, as the pipeline does. */
  protected void feed(S stage, SensorEvent event) {
    stage.onEvent(event);
    stage.onTimeAdvanced(event.ts());
  }

  @Test
  void aRestoredStageGoesOnAsTheOneItWasTakenFrom() {
    S original = newStage();
    before().forEach(e -> feed(original, e));
    ByteString state = original.exportState(SEAL);
    S restored = newStage();
    restored.restoreState(original.snapshotVersion(), state, SEAL);

    for (SensorEvent event : after()) {
      feed(original, event);
      feed(restored, event);
    }
    assertThat(observe(restored)).isEqualTo(observe(original));
    assertThat(restored.exportState(SEAL)).isEqualTo(original.exportState(SEAL));
  }

  @Test
  void itsStateReadsBackToItself() {
    S original = newStage();
    before().forEach(e -> feed(original, e));
    ByteString state = original.exportState(SEAL);
    S restored = newStage();
    restored.restoreState(original.snapshotVersion(), state, SEAL);

    assertThat(restored.exportState(SEAL)).isEqualTo(state);
    assertThat(restored.snapshotName()).isEqualTo(original.snapshotName()).isNotBlank();
  }

  /** A pipeline whose snapshot cannot be used puts its stages back as they started: from their first state. */
  @Test
  void aFreshStageStateReadsBackToItself() {
    S fresh = newStage();
    ByteString state = fresh.exportState(SEAL);
    S restored = newStage();
    restored.restoreState(fresh.snapshotVersion(), state, SEAL);

    assertThat(restored.exportState(SEAL)).isEqualTo(state);
    for (SensorEvent event : before()) {
      feed(fresh, event);
      feed(restored, event);
    }
    assertThat(observe(restored)).isEqualTo(observe(fresh));
  }

  @Test
  void itsStateHoldsNoRawCredential() {
    S stage = newStage();
    List<SensorEvent> input = before();
    input.forEach(e -> feed(stage, e));
    String state = stage.exportState(SEAL).toString(StandardCharsets.ISO_8859_1);

    List<String> credentials = input.stream().filter(EntryEvent.class::isInstance)
        .map(e -> ((EntryEvent) e).credential().reveal()).toList();
    assertThat(credentials).as("the kit's input must hold entries").isNotEmpty();
    for (String credential : credentials) {
      assertThat(state).doesNotContain(credential);
    }
  }

  @Test
  void aFormatItDoesNotKnowIsRefused() {
    S stage = newStage();
    assertThatThrownBy(() -> stage.restoreState(stage.snapshotVersion() + 1_000, ByteString.EMPTY, SEAL))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** An entry at {@code ts} at gate {@code in-1} by {@code credential}, for a party of {@code size}. */
  protected static EntryEvent entry(long ts, String credential, int size) {
    return new EntryEvent(ts, GateId.of("in-1"), Credential.of(credential), size, null);
  }

  /** Seals a credential by reversing it behind a subject: unreadable in the bytes, and opened exactly. */
  private static final SnapshotSeal SEAL = new ReversingSnapshotSeal();
}
