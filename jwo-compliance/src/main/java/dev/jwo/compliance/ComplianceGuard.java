package dev.jwo.compliance;

/**
 * The one question every module asks before it uses or keeps personal data. Implementations must be fast
 * (the vision pipeline asks per observation), must not throw, and must fail closed: when in doubt, deny.
 * Denials are counted in metrics.
 */
public interface ComplianceGuard {

  /** Decides whether {@code use} is allowed now. */
  GuardDecision check(DataUse use);
}
