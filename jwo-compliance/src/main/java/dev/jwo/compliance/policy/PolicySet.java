package dev.jwo.compliance.policy;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.Purpose;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The policies that apply to one store, combined strictest-first: a category is biometric if any policy says so, a
 * modality or purpose is banned if any bans it, consent is required if any requires it, a document is required if
 * any requires it, and retention ends at the earliest deadline any sets. Immutable.
 */
public final class PolicySet {
  private final String jurisdiction;
  private final List<JurisdictionPolicy> policies;

  PolicySet(String jurisdiction, List<JurisdictionPolicy> policies) {
    this.jurisdiction = Objects.requireNonNull(jurisdiction, "jurisdiction");
    this.policies = List.copyOf(policies);
    if (this.policies.isEmpty()) {
      throw new IllegalArgumentException("a policy set needs at least one policy");
    }
  }

  /** The normalized jurisdiction string, e.g. {@code US-NY-NYC}. */
  public String jurisdiction() {
    return jurisdiction;
  }

  /** The policies that apply, most specific first. */
  public List<JurisdictionPolicy> policies() {
    return policies;
  }

  /** Whether the jurisdiction was unknown, so that nothing biometric is allowed. */
  public boolean failsClosed() {
    return policies.contains(Policies.FAIL_CLOSED);
  }

  /** A version string for the combination, e.g. {@code US-IL@2024-08-02 (SB 2979)}. */
  public String version() {
    return policies.stream().map(p -> p.code() + "@" + p.version()).collect(Collectors.joining(" + "))
        + " (catalog " + Policies.CATALOG_VERSION + ")";
  }

  /** Whether any applicable law treats {@code category} as biometric (R14). */
  public boolean isBiometric(DataCategory category) {
    return policies.stream().anyMatch(p -> p.biometric().contains(category));
  }

  /** The rule that classifies {@code category} as biometric here, if any does. */
  public Optional<Rule> biometricClassification(DataCategory category) {
    return policies.stream().filter(p -> p.biometric().contains(category)).map(JurisdictionPolicy::classification)
        .findFirst();
  }

  /** The rule that bans {@code modality} outright here, if any. */
  public Optional<Rule> modalityBan(Modality modality) {
    return policies.stream().map(p -> p.bannedModalities().get(modality)).filter(Objects::nonNull).findFirst();
  }

  /** The rule that bans using biometric data for {@code purpose}, if any. */
  public Optional<Rule> purposeBan(Purpose purpose) {
    return policies.stream().map(p -> p.bannedPurposes().get(purpose)).filter(Objects::nonNull).findFirst();
  }

  /** The rule that requires consent before collection, if any. */
  public Optional<Rule> consentRule() {
    return policies.stream().map(JurisdictionPolicy::consent).filter(Objects::nonNull).findFirst();
  }

  /** The rule that bans selling biometric data, if any. */
  public Optional<Rule> saleBan() {
    return policies.stream().map(JurisdictionPolicy::saleBan).filter(Objects::nonNull).findFirst();
  }

  /** The rule that limits disclosure, from the most specific policy. */
  public Rule disclosureRule() {
    return policies.get(0).disclosure();
  }

  /** The documents that must be published before biometric data is collected, with the rule requiring each. */
  public Map<DocumentKind, Rule> requiredDocuments() {
    Map<DocumentKind, Rule> required = new EnumMap<>(DocumentKind.class);
    for (JurisdictionPolicy policy : policies) {
      policy.requiredDocuments().forEach(required::putIfAbsent);
    }
    return required;
  }

  /**
   * The retention deadline of a biometric datum.
   *
   * @param collectedTs when it was collected (used as the last interaction until a later one is known)
   * @param lastInteractionTs the person's last interaction
   * @param purposeSatisfiedTs when its purpose was satisfied, or null while it is not
   * @param store the store's own limits, applied where stricter than the law's
   * @return the deadline in event-time milliseconds and the rule it rests on
   */
  public Deadline retentionDeadline(
      long collectedTs, long lastInteractionTs, @Nullable Long purposeSatisfiedTs, StoreRetention store) {
    Deadline best = new Deadline(plus(Math.max(collectedTs, lastInteractionTs), store.afterLastInteraction()),
        store.rule());
    if (purposeSatisfiedTs != null) {
      best = earlier(best, new Deadline(plus(purposeSatisfiedTs, store.afterPurpose()), store.rule()));
    }
    for (JurisdictionPolicy policy : policies) {
      RetentionLimit limit = policy.retention();
      if (limit == null) {
        continue;
      }
      if (limit.afterLastInteraction() != null) {
        best = earlier(best, new Deadline(plus(Math.max(collectedTs, lastInteractionTs),
            limit.afterLastInteraction()), limit.rule()));
      }
      if (purposeSatisfiedTs != null && limit.afterPurposeSatisfied() != null) {
        best = earlier(best, new Deadline(plus(purposeSatisfiedTs, limit.afterPurposeSatisfied()), limit.rule()));
      }
    }
    return best;
  }

  private static Deadline earlier(Deadline a, Deadline b) {
    return b.ts() < a.ts() ? b : a;
  }

  private static long plus(long ts, Duration d) {
    long millis = d.toMillis();
    return ts > Long.MAX_VALUE - millis ? Long.MAX_VALUE : ts + millis;
  }

  /** A retention deadline and the rule that sets it. */
  public record Deadline(long ts, Rule rule) {}

  /** The store's own retention limits, as a rule of its published policy. */
  public record StoreRetention(Duration afterPurpose, Duration afterLastInteraction) {
    public Rule rule() {
      return new Rule("store/retention", "the store's published retention schedule",
          "destroyed " + afterPurpose.toDays() + " days after the purpose is satisfied, at most "
              + afterLastInteraction.toDays() + " days after the last interaction");
    }
  }

  @Override
  public String toString() {
    return "PolicySet[" + jurisdiction + ": " + version() + "]";
  }
}
