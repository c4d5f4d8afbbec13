package dev.jwo.core.event;

/**
 * One report from a store's sensors, stamped with its event time {@link #ts()} in epoch milliseconds.
 * The pipeline orders events by this time, never by arrival.
 */
public sealed interface SensorEvent permits EntryEvent, ExitEvent, WeightEvent, FrameEvent {

  /** Event time, epoch milliseconds. */
  long ts();

  /** The store-log name of this event's type, e.g. {@code "weight"}. */
  String type();
}
