package dev.jwo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialTest {

  @Test
  void toStringNeverRevealsTheCredential() {
    Credential credential = Credential.of("tok_4242424242424242");

    assertThat(credential.toString()).doesNotContain("4242").doesNotContain("tok_").isEqualTo(credential.pseudonym());
    assertThat(String.valueOf(java.util.List.of(credential))).doesNotContain("4242");
    assertThat(credential.reveal()).isEqualTo("tok_4242424242424242");
  }

  @Test
  void pseudonymIsStableAcrossInstancesAndDiffersBetweenCredentials() {
    Credential a = Credential.of("c-7f3a");

    assertThat(a.pseudonym()).matches("cred:[0-9a-f]{12}");
    assertThat(Credential.of("c-7f3a").pseudonym()).isEqualTo(a.pseudonym());
    assertThat(Credential.of("c-7f3b").pseudonym()).isNotEqualTo(a.pseudonym());
    // The first 12 hex digits of SHA-256("c-7f3a"): pseudonyms in logs and receipts must not change between releases.
    assertThat(a.pseudonym()).isEqualTo("cred:5b17ce55b0a2");
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
