package dev.jwo.testing.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Purpose;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.visit.Admission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ComplianceGuard} must do, whatever its policy: answer every question without throwing, with a
 * reason and a rule; never allow biometric data to be sold, used for marketing or model training, or used for the
 * practices the EU AI Act bans; and answer the same question the same way. Subclass it and return your guard:
 *
 * <pre>{@code
 * class MyGuardContractTest extends ComplianceGuardContractKit {
 *   protected ComplianceGuard guard() { return new MyGuard(...); }
 * }
 * }</pre>
 */
public abstract class ComplianceGuardContractKit {
  protected static final long T = 1_764_410_400_000L;

  private ComplianceGuard guard;

  /** The guard under test, fresh for each test. */
  protected abstract ComplianceGuard guard();

  @BeforeEach
  void createGuard() {
    guard = guard();
  }

  /** A subject who signed the store's disclosure where the guard's store has one. */
  protected Admission subject() {
    Credential credential = Credential.of("contract-kit-shopper");
    return new Admission(Admission.visitIdFor(GateId.of("in-1"), T), T, GateId.of("in-1"), credential, 1, "bio-2026-01");
  }

  private List<DataUse> everyQuestion() {
    List<DataUse> uses = new ArrayList<>();
    for (DataCategory category : DataCategory.values()) {
      for (Purpose purpose : Purpose.values()) {
        for (@Nullable Admission who : Arrays.asList(null, subject())) {
          uses.add(new DataUse(category, purpose, who, T + 1_000));
        }
      }
    }
    return uses;
  }

  @Test
  void answersEveryQuestionWithAReasonAndARuleWithoutThrowing() {
    for (DataUse use : everyQuestion()) {
      GuardDecision decision = guard.check(use);
      assertThat(decision).as("%s", use).isNotNull();
      assertThat(decision.reason()).as("reason for %s", use).isNotBlank();
      assertThat(decision.rule()).as("rule for %s", use).isNotBlank();
    }
  }

  @Test
  void neverAllowsBiometricDataToBeSoldMarketedOrUsedToTrainModels() {
    for (DataCategory category : List.of(DataCategory.FACE_GEOMETRY, DataCategory.HAND_GEOMETRY,
        DataCategory.VOICEPRINT)) {
      for (Purpose purpose : List.of(Purpose.SALE, Purpose.MARKETING, Purpose.MODEL_TRAINING)) {
        for (@Nullable Admission who : Arrays.asList(null, subject())) {
          assertThat(guard.check(new DataUse(category, purpose, who, T + 1_000)).allowed())
              .as("%s for %s", category, purpose).isFalse();
        }
      }
    }
  }

  @Test
  void neverAllowsThePracticesTheAiActBans() {
    for (Purpose purpose : List.of(Purpose.EMOTION_RECOGNITION, Purpose.BIOMETRIC_CATEGORISATION)) {
      assertThat(guard.check(new DataUse(DataCategory.FACE_GEOMETRY, purpose, subject(), T + 1_000)).allowed())
          .as("%s", purpose).isFalse();
    }
  }

  @Test
  void answersTheSameQuestionTheSameWay() {
    for (DataUse use : everyQuestion()) {
      assertThat(guard.check(use).allowed()).as("%s", use).isEqualTo(guard.check(use).allowed());
    }
  }
}
