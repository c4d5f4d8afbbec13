package dev.jwo.compliance.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.Purpose;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R1 (which rules apply, fail closed) and R14 (classification, which kinds are biometric where). */
class PoliciesTest {
  static final long T = 1_764_410_400_000L;
  static final long DAY = 86_400_000L;

  @Test
  void anIllinoisStoreGetsBipaWithItsSections() {
    PolicySet set = Policies.resolve("US-IL");
    assertThat(set.policies()).containsExactly(Policies.ILLINOIS);
    assertThat(set.failsClosed()).isFalse();
    assertThat(set.consentRule()).map(Rule::citation).hasValue("740 ILCS 14/15(b)");
    assertThat(set.saleBan()).map(Rule::citation).hasValue("740 ILCS 14/15(c)");
    assertThat(set.requiredDocuments()).containsOnlyKeys(DocumentKind.RETENTION_POLICY, DocumentKind.CONSENT_DISCLOSURE);
  }

  @Test
  void anUnknownJurisdictionFailsClosedForEveryBiometricMethod() {
    for (String code : List.of("US-ZZ", "US-NY", "BR", "US-IL-CHI")) {
      PolicySet set = Policies.resolve(code);
      assertThat(set.failsClosed()).as(code).isTrue();
      for (Modality m : Modality.values()) {
        assertThat(set.modalityBan(m)).as(code + " " + m).map(Rule::citation).hasValue("jwo policy R1 (fail closed)");
      }
    }
    assertThat(Policies.resolve("US-IL-CHI").policies()).contains(Policies.ILLINOIS);
  }

  @Test
  void portlandBansFaceRecognitionWhateverTheConsent() {
    PolicySet set = Policies.resolve("us-or-pdx");
    assertThat(set.jurisdiction()).isEqualTo("US-OR-PDX");
    assertThat(set.failsClosed()).isFalse();
    assertThat(set.modalityBan(Modality.FACE)).map(Rule::citation).hasValue("Portland City Code 34.10.020");
    assertThat(set.modalityBan(Modality.HAND)).isEmpty();
  }

  @Test
  void newYorkCityNeedsTheEntranceSignButNoConsent() {
    PolicySet set = Policies.resolve("US-NY-NYC");
    assertThat(set.consentRule()).isEmpty();
    assertThat(set.requiredDocuments()).containsKey(DocumentKind.NYC_ENTRANCE_SIGN);
    assertThat(set.requiredDocuments().get(DocumentKind.NYC_ENTRANCE_SIGN).citation())
        .isEqualTo("NYC Admin. Code 22-1202(a)");
  }

  @Test
  void anEuMemberStateGetsGdprAndTheAiActBans() {
    PolicySet set = Policies.resolve("DE");
    assertThat(set.policies()).containsExactly(Policies.EUROPEAN_UNION);
    assertThat(set.consentRule()).map(Rule::citation).hasValue("GDPR Art. 9(2)(a)");
    assertThat(set.purposeBan(Purpose.EMOTION_RECOGNITION)).map(Rule::citation).hasValue("AI Act Art. 5(1)(f)");
    assertThat(set.purposeBan(Purpose.BIOMETRIC_CATEGORISATION)).map(Rule::citation).hasValue("AI Act Art. 5(1)(g)");
    assertThat(Policies.resolve("US-IL").purposeBan(Purpose.EMOTION_RECOGNITION)).isEmpty();
  }

  @Test
  void whichKindsAreBiometricDependsOnWhere() {
    assertThat(Policies.resolve("US-IL").isBiometric(DataCategory.FACE_GEOMETRY)).isTrue();
    assertThat(Policies.resolve("US-IL").isBiometric(DataCategory.GAIT)).isFalse();
    assertThat(Policies.resolve("DE").isBiometric(DataCategory.GAIT)).isTrue();
    assertThat(Policies.resolve("US-IL").isBiometric(DataCategory.RAW_IMAGE)).isFalse();
    assertThat(Policies.resolve("US-CA").isBiometric(DataCategory.RAW_IMAGE)).isTrue();
    assertThat(Policies.resolve("US-CA").biometricClassification(DataCategory.RAW_IMAGE)).map(Rule::citation)
        .hasValue("Cal. Civ. Code 1798.140(c)");
    for (String code : List.of("US-IL", "US-TX", "US-WA", "US-NY-NYC", "US-OR-PDX", "US-CA", "US-CO", "FR", "XX")) {
      PolicySet set = Policies.resolve(code);
      for (DataCategory never : List.of(DataCategory.CLOTHING_APPEARANCE, DataCategory.LOCATION_TRACK,
          DataCategory.PURCHASE, DataCategory.PAYMENT_TOKEN)) {
        assertThat(set.isBiometric(never)).as(code + " " + never).isFalse();
      }
    }
  }

  @Test
  void everyRuleCitesAStatuteSection() {
    List<Rule> rules = new ArrayList<>();
    for (JurisdictionPolicy p : Policies.all()) {
      rules.add(p.classification());
      rules.add(p.disclosure());
      rules.add(p.damages().rule());
      rules.addAll(p.bannedModalities().values());
      rules.addAll(p.bannedPurposes().values());
      rules.addAll(p.requiredDocuments().values());
      if (p.consent() != null) {
        rules.add(p.consent());
      }
      if (p.retention() != null) {
        rules.add(p.retention().rule());
      }
      assertThat(p.version()).isNotBlank();
    }
    assertThat(rules).allSatisfy(r -> assertThat(r.citation()).matches(".*\\d.*"));
  }

  @Test
  void retentionEndsAtTheEarliestTriggerOfLawAndStore() {
    PolicySet illinois = Policies.resolve("US-IL");
    PolicySet.StoreRetention lax = new PolicySet.StoreRetention(Duration.ofDays(30), Duration.ofDays(10 * 365));
    assertThat(illinois.retentionDeadline(T, T, null, lax).ts()).isEqualTo(T + 3 * 365 * DAY);
    assertThat(illinois.retentionDeadline(T, T, null, lax).rule().citation()).isEqualTo("740 ILCS 14/15(a)");
    assertThat(illinois.retentionDeadline(T, T, T + DAY, lax).ts()).isEqualTo(T + DAY);
    PolicySet texas = Policies.resolve("US-TX");
    PolicySet.StoreRetention twoYears = new PolicySet.StoreRetention(Duration.ofDays(730), Duration.ofDays(3650));
    PolicySet.Deadline deadline = texas.retentionDeadline(T, T, T + DAY, twoYears);
    assertThat(deadline.ts()).isEqualTo(T + DAY + 365 * DAY);
    assertThat(deadline.rule().citation()).isEqualTo("Tex. Bus. & Com. Code 503.001(c)(3)");
  }

  @Test
  void aBlankJurisdictionIsRefused() {
    assertThatThrownBy(() -> Policies.resolve(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("US-IL");
  }
}
