package dev.jwo.testing.pipeline;

import dev.jwo.core.BinId;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import java.util.List;

class CountingStageSnapshotTest extends SnapshotStageKit<CountingStage> {
  private static final long T = 1_764_410_400_000L;

  @Override
  protected CountingStage newStage() {
    return new CountingStage();
  }

  @Override
  protected List<SensorEvent> before() {
    return List.of(entry(T, "card-4242", 2), new WeightEvent(T + 100, BinId.of("A1-1"), 6_000),
        entry(T + 200, "card-1313", 1));
  }

  @Override
  protected List<SensorEvent> after() {
    return List.of(new WeightEvent(T + 300, BinId.of("A1-1"), 5_480), entry(T + 400, "card-7777", 3));
  }

  @Override
  protected Object observe(CountingStage stage) {
    return List.of(stage.counts(), stage.admissions());
  }
}
