package dev.jwo.compliance.consent;

/**
 * Evidence of an electronic signature (740 ILCS 14/10 as amended in 2024 accepts one).
 *
 * @param method how the person signed, e.g. {@code app-tap-to-sign}, {@code kiosk-stylus}
 * @param signedDisclosureSha256 the SHA-256 of the disclosure text the person was shown; must match the disclosure
 * @param attestation what the signing channel attests (app version, session pseudonym), never a raw credential
 */
public record SignatureEvidence(String method, String signedDisclosureSha256, String attestation) {
  public SignatureEvidence {
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("signature evidence needs the signing method");
    }
    if (signedDisclosureSha256 == null || !signedDisclosureSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("signature evidence needs the SHA-256 (64 lowercase hex digits) of the"
          + " disclosure text that was signed");
    }
    if (attestation == null) {
      throw new IllegalArgumentException("attestation must not be null (use empty text)");
    }
  }
}
