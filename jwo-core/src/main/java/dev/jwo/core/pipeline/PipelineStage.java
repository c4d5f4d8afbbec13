package dev.jwo.core.pipeline;

/**
 * The order in which handlers see each event. Within a stage, handlers run in the order of their class
 * names, so the order never depends on how modules were installed.
 */
public enum PipelineStage {
  /** Visits are opened and payments pre-authorized at entry. */
  SESSIONS,
  /** People are tracked from frames, linked to parties at entry and seen out at exit. */
  TRACKING,
  /** Load-cell readings become shelf events, products and cart lines. */
  SHELVES,
  /** Ended visits are checked out. */
  CHECKOUT,
  /** Observers that only record what happened. */
  OBSERVERS
}
