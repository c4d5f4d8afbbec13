package dev.jwo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialTest {

  @Test
  void toStringNeverRevealsTheCredential() {
    Credential credential = Credential.of("tok_4242424242424242");

    assertThat(credential.toString()).isEqualTo("Credential[redacted]");
    assertThat(String.valueOf(java.util.List.of(credential))).doesNotContain("4242");
    assertThat(credential.reveal()).isEqualTo("tok_4242424242424242");
  }

  @Test
  void noUnkeyedDigestOfTheCredentialIsOffered() {
    // The first 12 hex digits of SHA-256("c-7f3a"), the unkeyed pseudonym credentials used to carry: a list of
    // credentials reverses it, so nothing about a credential may compute or show it.
    assertThat(Credential.of("c-7f3a").toString()).doesNotContain("5b17ce55b0a2");
    assertThat(java.util.Arrays.stream(Credential.class.getMethods()).map(java.lang.reflect.Method::getName))
        .doesNotContain("pseudonym");
  }

  @Test
  void equalsByValue() {
    assertThat(Credential.of("c-1")).isEqualTo(Credential.of("c-1")).hasSameHashCodeAs(Credential.of("c-1"));
    assertThat(Credential.of("c-1")).isNotEqualTo(Credential.of("c-2"));
    assertThat(Credential.of("c-1")).isLessThan(Credential.of("c-2"));
  }

  @Test
  void rejectsBlankCredentials() {
    assertThatThrownBy(() -> Credential.of(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Credential.of("")).isInstanceOf(IllegalArgumentException.class);
  }
}
