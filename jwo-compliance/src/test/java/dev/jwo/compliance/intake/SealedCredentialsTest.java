package dev.jwo.compliance.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.v1.EntryScan;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The input journal holds an entry's credential only sealed under its visit's key, and not at all once it is gone. */
class SealedCredentialsTest {
  private static final VisitId VISIT = VisitId.of("v-1764410400000-in-1");

  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final Subjects subjects = new Subjects(storage, ComplianceFixture.SUBJECT_KEY);
  private final SealedCredentials credentials = new SealedCredentials(storage, subjects);

  @Test
  void anEntryKeepsOnlyTheSealedCredentialAndTheKeyedSubjectAndOpensUntilTheVisitsKeyIsDeleted() {
    EntryScan sealed = credentials.seal(VISIT,
        EntryScan.newBuilder().setGate("in-1").setCredential("tok_4242424242424242").setPartySize(2).build());

    assertThat(sealed.getCredential()).isEmpty();
    assertThat(sealed.getCredentialSubject()).isEqualTo(subjects.of(Credential.of("tok_4242424242424242")));
    assertThat(new String(sealed.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("4242");
    assertThat(sealed.getPartySize()).isEqualTo(2);
    assertThat(credentials.open(VISIT, sealed)).contains(Credential.of("tok_4242424242424242"));

    assertThat(credentials.delete(VISIT.value())).isEqualTo(1);

    assertThat(storage.table(SealedCredentials.TABLE).get(VISIT.value())).isEmpty();
    assertThat(credentials.open(VISIT, sealed)).isEmpty();
    assertThat(credentials.delete(VISIT.value())).as("deleting again finds nothing").isZero();
  }

  @Test
  void aSealedCredentialOpensOnlyForItsOwnVisit() {
    VisitId other = VisitId.of("v-1764410400001-in-1");
    EntryScan mine = credentials.seal(VISIT, EntryScan.newBuilder().setGate("in-1").setCredential("c-1").build());
    credentials.seal(other, EntryScan.newBuilder().setGate("in-1").setCredential("c-2").build());

    assertThatThrownBy(() -> credentials.open(other, mine)).isInstanceOf(StorageException.class)
        .hasMessageContaining("does not open");
  }
}
