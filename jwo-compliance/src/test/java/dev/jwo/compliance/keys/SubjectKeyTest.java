package dev.jwo.compliance.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.internal.Canonical;
import dev.jwo.core.Credential;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubjectKeyTest {
  private final SubjectKey key = SubjectKey.random();

  @Test
  void twoCredentialsNeverShareASubjectInALargeSample() {
    Set<String> subjects = new HashSet<>();
    int sample = 300_000;
    for (int i = 0; i < sample; i++) {
      subjects.add(key.subject(Credential.of("tok_" + i)));
    }
    assertThat(subjects).hasSize(sample);
    assertThat(subjects.iterator().next()).matches("subj:[0-9a-f]{32}"); // 128 bits
  }

  @Test
  void theSameCredentialIsTheSameSubjectUnderTheSameKeyOnly() {
    byte[] bytes = new byte[32];
    bytes[0] = 7;
    Credential alice = Credential.of("c-alice");
    assertThat(SubjectKey.of(bytes).subject(alice)).isEqualTo(SubjectKey.of(bytes.clone()).subject(alice));
    byte[] other = bytes.clone();
    other[31] = 1;
    assertThat(SubjectKey.of(other).subject(alice)).isNotEqualTo(SubjectKey.of(bytes).subject(alice));
    assertThat(SubjectKey.random().subject(alice)).isNotEqualTo(key.subject(alice));
  }

  @Test
  void theSubjectCannotBeRecomputedFromTheCredentialAlone() throws Exception {
    Credential card = Credential.of("tok_4242424242424242");
    String subject = key.subject(card);
    String hex = subject.substring(SubjectKey.PREFIX.length());
    // What someone holding a list of credentials but not the key could compute: plain digests of the credential.
    for (String algorithm : new String[] {"SHA-256", "SHA-512", "SHA-1", "MD5"}) {
      String digest = HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
          .digest(card.reveal().getBytes(StandardCharsets.UTF_8)));
      assertThat(digest).doesNotContain(hex.substring(0, 12));
    }
    // Nor the 48-bit SHA-256 prefix that named people before keyed subjects.
    assertThat(subject).doesNotContain(Canonical.sha256Hex(card.reveal()).substring(0, 12));
    // Nor an HMAC under a key anyone could guess.
    assertThat(SubjectKey.of(new byte[32]).subject(card)).isNotEqualTo(subject);
  }

  @Test
  void aStoreStartedWithAnotherSubjectKeyFailsAndChangesNothing() {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    byte[] bytes = new byte[32];
    bytes[5] = 42;
    SubjectKey key = SubjectKey.of(bytes);
    new Subjects(storage, key);
    byte[] recorded = storage.table(Subjects.TABLE).get("check").orElseThrow().value();

    byte[] other = bytes.clone();
    other[6] = 1;
    assertThatThrownBy(() -> new Subjects(storage, SubjectKey.of(other)))
        .isInstanceOf(WrongSubjectKeyException.class).hasMessageContaining("subject key");
    assertThat(storage.table(Subjects.TABLE).get("check").orElseThrow().value()).isEqualTo(recorded);
    assertThat(new Subjects(storage, key).of(Credential.of("c-1"))).isEqualTo(key.subject(Credential.of("c-1")));
    new Subjects(storage, SubjectKey.random()); // a per-process key is not checked: it is never the recorded one
  }

  @Test
  void keysAreThirtyTwoBytesAndNeverPrinted() {
    assertThatThrownBy(() -> SubjectKey.of(new byte[16])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThat(key.toString()).isEqualTo("SubjectKey[redacted]");
  }
}
