package dev.jwo.testing.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.Purpose;
import org.junit.jupiter.api.Test;

class FakeComplianceGuardContractTest extends ComplianceGuardContractKit {
  @Override
  protected ComplianceGuard guard() {
    return new FakeComplianceGuard();
  }

  @Test
  void deniesWhatItIsToldToAndRemembersTheQuestions() {
    FakeComplianceGuard fake = new FakeComplianceGuard();
    fake.deny(DataCategory.FACE_GEOMETRY);
    DataUse use = new DataUse(DataCategory.FACE_GEOMETRY, Purpose.CHECKOUT_TRACKING, null, T);

    assertThat(fake.check(use).allowed()).isFalse();
    fake.allow(DataCategory.FACE_GEOMETRY);
    assertThat(fake.check(use).allowed()).isTrue();
    assertThat(fake.questions()).containsExactly(use, use);
  }
}
