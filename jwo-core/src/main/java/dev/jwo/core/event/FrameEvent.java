package dev.jwo.core.event;

import dev.jwo.core.CameraId;
import java.util.List;
import java.util.Objects;

/** One camera's view at one instant: the people it sees, on the floor plane, without identity. */
public record FrameEvent(long ts, CameraId camera, List<PersonObservation> people) implements SensorEvent {
  public FrameEvent {
    Objects.requireNonNull(camera, "camera");
    people = List.copyOf(people);
  }

  @Override
  public String type() {
    return "frame";
  }
}
