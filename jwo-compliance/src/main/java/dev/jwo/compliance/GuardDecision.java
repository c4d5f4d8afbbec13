package dev.jwo.compliance;

import java.util.Objects;

/**
 * The guard's answer: allowed or denied, why, and the rule it rests on (a statute section or a policy
 * setting, e.g. {@code "740 ILCS 14/15(b)"}).
 */
public record GuardDecision(boolean allowed, String reason, String rule) {
  public GuardDecision {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(rule, "rule");
  }

  public static GuardDecision allow(String reason, String rule) {
    return new GuardDecision(true, reason, rule);
  }

  public static GuardDecision deny(String reason, String rule) {
    return new GuardDecision(false, reason, rule);
  }
}
