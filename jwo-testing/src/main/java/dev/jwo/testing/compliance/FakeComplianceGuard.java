package dev.jwo.testing.compliance;

import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Purpose;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A guard for tests of other modules: allows what it is told to, denies the rest, and remembers every question. It
 * still refuses what no guard may allow (sale, marketing, model training and AI Act practices on biometric data),
 * so it passes {@link ComplianceGuardContractKit}. Thread-safe.
 */
public final class FakeComplianceGuard implements ComplianceGuard {
  static final String RULE = "fake guard (test)";
  private static final Set<Purpose> NEVER_FOR_BIOMETRICS = EnumSet.of(Purpose.SALE, Purpose.MARKETING,
      Purpose.MODEL_TRAINING, Purpose.EMOTION_RECOGNITION, Purpose.BIOMETRIC_CATEGORISATION);

  private final Set<DataCategory> denied = Collections.synchronizedSet(EnumSet.noneOf(DataCategory.class));
  private final List<DataUse> questions = Collections.synchronizedList(new ArrayList<>());

  /** A fake that allows every category until told otherwise. */
  public FakeComplianceGuard() {}

  /** Denies these categories from now on. */
  public void deny(DataCategory... categories) {
    denied.addAll(List.of(categories));
  }

  /** Allows these categories again. */
  public void allow(DataCategory... categories) {
    List.of(categories).forEach(denied::remove);
  }

  /** Every question asked so far, in order. */
  public List<DataUse> questions() {
    synchronized (questions) {
      return List.copyOf(questions);
    }
  }

  @Override
  public GuardDecision check(DataUse use) {
    questions.add(use);
    if (use.category().modality() != null && NEVER_FOR_BIOMETRICS.contains(use.purpose())) {
      return GuardDecision.deny("biometric data is never used for " + use.purpose().wireName(), RULE);
    }
    return denied.contains(use.category())
        ? GuardDecision.deny(use.category().wireName() + " is denied by the test", RULE)
        : GuardDecision.allow(use.category().wireName() + " is allowed by the test", RULE);
  }
}
