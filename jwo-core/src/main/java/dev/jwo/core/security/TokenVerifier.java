package dev.jwo.core.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jwo.core.Credential;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies bearer tokens issued by a {@link TokenKey} for one store: the ES256 signature, the issuer, the role, and
 * the validity period (a minute of clock skew is allowed). Thread-safe.
 */
public final class TokenVerifier {
  /** The longest lifetime a token may claim. */
  public static final Duration MAX_LIFETIME = Duration.ofDays(400);
  private static final Duration SKEW = Duration.ofMinutes(1);
  private static final int MAX_LENGTH = 4_096;
  private static final String HOW = "; ask the store for a new one (jwo token --role ROLE --subject NAME)";

  private final PublicKey key;
  private final String issuer;

  /** A verifier of tokens signed by {@code key} for store {@code issuer}. */
  public TokenVerifier(PublicKey key, String issuer) {
    if (!(key instanceof ECPublicKey)) {
      throw new IllegalArgumentException("tokens are verified with an EC P-256 public key");
    }
    this.key = key;
    this.issuer = Objects.requireNonNull(issuer, "issuer");
  }

  /** The {@code PUBLIC KEY} block of a PEM text. @throws IllegalArgumentException if it has none */
  public static PublicKey publicKey(String pem) {
    byte[] der = Pem.read(pem).stream().filter(b -> b.label().equals("PUBLIC KEY")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the token key holds no PUBLIC KEY block")).der();
    try {
      return TokenKey.decodePublic(der);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the PUBLIC KEY block is not an EC key: " + e.getMessage(), e);
    }
  }

  /**
   * The caller a token names.
   *
   * @throws InvalidTokenException if the token is malformed, not signed by this store's key, for another store,
   *     not yet or no longer valid, or names an unknown role
   */
  public Caller verify(String token, Instant now) {
    if (token.length() > MAX_LENGTH) {
      throw new InvalidTokenException("the bearer token is longer than " + MAX_LENGTH + " characters" + HOW);
    }
    List<String> parts = List.of(token.split("\\.", -1));
    if (parts.size() != 3) {
      throw new InvalidTokenException("the bearer token is not a signed token (header.claims.signature)" + HOW);
    }
    JsonNode header = json(parts.get(0), "header");
    if (!"ES256".equals(header.path("alg").asText())) {
      throw new InvalidTokenException("the bearer token is not signed with ES256, the only algorithm accepted" + HOW);
    }
    byte[] signature = decode(parts.get(2), "signature");
    try {
      Signature verifier = Signature.getInstance(TokenKey.ALGORITHM);
      verifier.initVerify(key);
      verifier.update((parts.get(0) + "." + parts.get(1)).getBytes(StandardCharsets.US_ASCII));
      if (signature.length != 64 || !verifier.verify(signature)) {
        throw new InvalidTokenException("the bearer token is not signed by this store's token key" + HOW);
      }
    } catch (GeneralSecurityException e) {
      throw new InvalidTokenException("the bearer token's signature cannot be checked: " + e.getMessage() + HOW);
    }
    JsonNode claims = json(parts.get(1), "claims");
    String iss = claims.path("iss").asText("");
    if (!issuer.equals(iss)) {
      throw new InvalidTokenException("the bearer token is for store '" + iss + "', not '" + issuer + "'" + HOW);
    }
    long iat = claims.path("iat").asLong(Long.MIN_VALUE);
    long exp = claims.path("exp").asLong(Long.MIN_VALUE);
    if (!claims.path("iat").isIntegralNumber() || !claims.path("exp").isIntegralNumber() || exp <= iat
        || exp - iat > MAX_LIFETIME.toSeconds()) {
      throw new InvalidTokenException("the bearer token has no valid iat/exp period" + HOW);
    }
    if (now.getEpochSecond() >= exp) {
      throw new InvalidTokenException("the bearer token expired at " + Instant.ofEpochSecond(exp) + HOW);
    }
    if (Instant.ofEpochSecond(iat).isAfter(now.plus(SKEW))) {
      throw new InvalidTokenException("the bearer token is valid only from " + Instant.ofEpochSecond(iat)
          + "; check the clocks of the issuer and the store");
    }
    String roleName = claims.path("role").asText("");
    Role role = Role.fromWireName(roleName).orElseThrow(() -> new InvalidTokenException(
        "the bearer token names role '" + roleName + "', not one of " + Role.wireNames() + HOW));
    Optional<String> party = claims.hasNonNull("party") ? Optional.of(claims.get("party").asText()) : Optional.empty();
    try {
      return new Caller(role, claims.path("sub").asText(""), party.map(Credential::of).orElse(null));
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("the bearer token's claims are not valid: " + e.getMessage() + HOW);
    }
  }

  private static JsonNode json(String part, String what) {
    try {
      JsonNode node = TokenKey.JSON.readTree(decode(part, what));
      if (node == null || !node.isObject()) {
        throw new InvalidTokenException("the bearer token's " + what + " is not a JSON object" + HOW);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidTokenException("the bearer token's " + what + " is not JSON" + HOW);
    } catch (java.io.IOException e) {
      throw new InvalidTokenException("the bearer token's " + what + " cannot be read" + HOW);
    }
  }

  private static byte[] decode(String part, String what) {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("the bearer token's " + what + " is not base64url" + HOW);
    }
  }
}
