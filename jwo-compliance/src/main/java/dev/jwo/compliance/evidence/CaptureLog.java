package dev.jwo.compliance.evidence;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.visit.Admission;
import dev.jwo.compliance.keys.Subjects;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Where the vision pipeline reports every camera feature vector it received and what became of it. Counts are kept
 * per feature kind, with the reasons for drops; for biometric categories, the first use and the first drop (per
 * person, category, rule and visit; per hour for people not identified) are recorded in the audit chain as
 * {@code CAPTURE} and {@code DROP}. Nothing of the vector itself is recorded. Thread-safe.
 */
@Singleton
public final class CaptureLog {
  static final String UNIDENTIFIED = "";
  private static final long HOUR = 3_600_000L;

  private final AuditChain audit;
  private final PolicySet policies;
  private final PartyRoster roster;
  private final Subjects subjects;
  private final Map<FeatureKind, Counter> counters = new EnumMap<>(FeatureKind.class);
  private final Set<String> recorded = new HashSet<>();

  @Inject
  public CaptureLog(AuditChain audit, PolicySet policies, PartyRoster roster, Subjects subjects) {
    this.subjects = subjects;
    this.audit = audit;
    this.policies = policies;
    this.roster = roster;
  }

  /**
   * Reports one feature vector.
   *
   * @param subject the admission the detection was linked to, or null if the person is not identified
   * @param decision the guard's answer
   * @param used whether the features were used (allowed and attached to a track)
   */
  public synchronized void record(
      FeatureKind kind, @Nullable Admission subject, GuardDecision decision, boolean used, long ts) {
    Counter counter = counters.computeIfAbsent(kind, k -> new Counter());
    counter.received++;
    String reason = decision.allowed()
        ? "allowed but not attached to a track" : decision.reason() + " [" + decision.rule() + "]";
    if (used) {
      counter.used++;
    } else {
      counter.dropped++;
      counter.reasons.merge(reason, 1L, Long::sum);
    }
    DataCategory category = DataCategory.ofCameraFeatures(kind);
    if (!policies.isBiometric(category)) {
      return;
    }
    String scope = subject == null ? "unidentified@" + Math.floorDiv(ts, HOUR) : subject.visitId().value();
    String key = scope + "|" + category + "|" + used + "|" + decision.rule();
    if (!recorded.add(key)) {
      return;
    }
    Map<String, String> details = new TreeMap<>();
    details.put("category", category.wireName());
    Modality modality = category.modality();
    details.put("modality", modality == null ? "none" : modality.name().toLowerCase(java.util.Locale.ROOT));
    details.put("feature_kind", kind.wireName());
    details.put("purpose", "checkout_tracking");
    details.put("visit", subject == null ? "" : subject.visitId().value());
    if (subject != null) {
      // Whose it may be: a receipt in a party is one from each of its people (exposure counts them per person).
      details.put("people", String.join(",", roster.people(subject, ts).known()));
      details.put("party_size", Integer.toString(subject.partySize()));
    }
    details.put("rule", decision.rule());
    details.put("reason", used ? decision.reason() : reason);
    audit.append(used ? AuditType.CAPTURE : AuditType.DROP, ts,
        subject == null ? UNIDENTIFIED : subjects.of(subject.credential()), details);
  }

  /** Forgets which first uses and drops of a visit were recorded; called when the visit ends. */
  public synchronized void forgetVisit(String visitId) {
    recorded.removeIf(key -> key.startsWith(visitId + "|"));
    if (recorded.size() > 100_000) {
      recorded.clear();
    }
  }

  /** The counts so far, per feature kind that was received. */
  public synchronized Map<FeatureKind, FeatureCounts> counts() {
    Map<FeatureKind, FeatureCounts> counts = new EnumMap<>(FeatureKind.class);
    counters.forEach((kind, c) -> counts.put(kind, new FeatureCounts(c.received, c.used, c.dropped, c.reasons)));
    return counts;
  }

  private static final class Counter {
    long received;
    long used;
    long dropped;
    final Map<String, Long> reasons = new TreeMap<>();
  }
}
