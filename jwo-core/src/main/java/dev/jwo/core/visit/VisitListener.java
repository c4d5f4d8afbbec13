package dev.jwo.core.visit;

/**
 * Told when visits start and end, in event time. The session registry calls every listener bound in Guice
 * (see {@code CartModule.visitListeners}); compliance uses it to end the purpose of a visit's biometric data.
 * Called from the pipeline thread; must be quick and must not throw.
 */
public interface VisitListener {

  /** A party was admitted. */
  default void visitStarted(Admission admission) {}

  /**
   * The visit is over: the last member of the party left at {@code exitTs} and the visit has been settled
   * (charged or held for review), so the purpose of data kept for it is satisfied.
   */
  default void visitEnded(Admission admission, long exitTs) {}
}
