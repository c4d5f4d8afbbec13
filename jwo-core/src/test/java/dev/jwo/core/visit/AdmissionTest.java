package dev.jwo.core.visit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.event.EntryEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  static final long T = 1_764_410_401_200L;

  @Test
  void theVisitIdIsTheGateAndTimeAndNamesNobody() throws Exception {
    Credential card = Credential.of("tok_4242424242424242");
    Admission admission = Admission.from(new EntryEvent(T, GateId.of("in-1"), card, 2, null));

    assertThat(admission.visitId().value()).isEqualTo("v-1764410401200-in-1");
    // Visit ids used to end in the first 12 hex digits of SHA-256(credential), which a list of credentials reverses.
    String unkeyed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(card.reveal().getBytes(StandardCharsets.UTF_8))).substring(0, 12);
    assertThat(admission.visitId().value()).doesNotContain(unkeyed).doesNotContain("4242");
  }

  @Test
  void everyModuleNamesTheSameEntryTheSameVisitAndOtherEntriesOtherVisits() {
    EntryEvent entry = new EntryEvent(T, GateId.of("in-1"), Credential.of("c-alice"), 1, null);

    assertThat(Admission.from(entry).visitId()).isEqualTo(Admission.from(entry).visitId())
        .isEqualTo(Admission.visitIdFor(GateId.of("in-1"), T));
    assertThat(Admission.visitIdFor(GateId.of("in-2"), T)).isNotEqualTo(Admission.from(entry).visitId());
    assertThat(Admission.visitIdFor(GateId.of("in-1"), T + 1)).isNotEqualTo(Admission.from(entry).visitId());
  }
}
