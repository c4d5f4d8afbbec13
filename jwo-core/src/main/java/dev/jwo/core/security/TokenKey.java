package dev.jwo.core.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.core.Credential;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A store's token signing key: an ECDSA P-256 key pair that issues bearer tokens (ES256, in the compact form of a
 * JSON Web Token) naming a {@link Caller}, and whose public half verifies them ({@link #verifier}). Keep the
 * private half as secret as the store's keys; the PEM form holds both halves.
 */
public final class TokenKey {
  static final String ALGORITHM = "SHA256withECDSAinP1363Format";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private TokenKey(PrivateKey privateKey, PublicKey publicKey) {
    if (!(privateKey instanceof ECPrivateKey) || !(publicKey instanceof ECPublicKey)) {
      throw new IllegalArgumentException("a token key is an EC P-256 key pair");
    }
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** A new random key. */
  public static TokenKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new TokenKey(pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime cannot make P-256 keys", e);
    }
  }

  /**
   * The key of a PEM text that holds a {@code PRIVATE KEY} (PKCS#8) and a {@code PUBLIC KEY} block, as
   * {@link #toPem()} writes it.
   *
   * @throws IllegalArgumentException if the text holds no such pair
   */
  public static TokenKey fromPem(String pem) {
    List<Pem.Block> blocks = Pem.read(pem);
    byte[] priv = blocks.stream().filter(b -> b.label().equals("PRIVATE KEY")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the token key holds no PRIVATE KEY block")).der();
    try {
      KeyFactory ec = KeyFactory.getInstance("EC");
      return new TokenKey(ec.generatePrivate(new PKCS8EncodedKeySpec(priv)), TokenVerifier.publicKey(pem));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the token key's PRIVATE KEY block is not an EC key: " + e.getMessage(), e);
    }
  }

  /** Both halves as PEM ({@code PRIVATE KEY} in PKCS#8, {@code PUBLIC KEY} in X.509 form). */
  public String toPem() {
    return Pem.write("PRIVATE KEY", privateKey.getEncoded()) + Pem.write("PUBLIC KEY", publicKey.getEncoded());
  }

  /** The public half alone, as PEM, for servers that only verify. */
  public String publicPem() {
    return Pem.write("PUBLIC KEY", publicKey.getEncoded());
  }

  /** A verifier of this key's tokens issued for {@code issuer}. */
  public TokenVerifier verifier(String issuer) {
    return new TokenVerifier(publicKey, issuer);
  }

  /**
   * Issues a token.
   *
   * @param issuer the store id the token is good for
   * @param caller who the token names
   * @param issuedAt when it becomes valid
   * @param lifetime how long it stays valid (at most 400 days)
   */
  public String issue(String issuer, Caller caller, Instant issuedAt, Duration lifetime) {
    Objects.requireNonNull(issuer, "issuer");
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(TokenVerifier.MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("a token lives between a second and " + TokenVerifier.MAX_LIFETIME.toDays()
          + " days, not " + lifetime);
    }
    ObjectNode header = JSON.createObjectNode().put("alg", "ES256").put("typ", "JWT");
    ObjectNode claims = JSON.createObjectNode()
        .put("iss", issuer)
        .put("sub", caller.subject())
        .put("role", caller.role().wireName())
        .put("iat", issuedAt.getEpochSecond())
        .put("exp", issuedAt.plus(lifetime).getEpochSecond());
    @Nullable Credential party = caller.party();
    if (party != null) {
      claims.put("party", party.reveal());
    }
    String signingInput = encode(header.toString()) + "." + encode(claims.toString());
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(privateKey);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the token key: " + e.getMessage(), e);
    }
  }

  private static String encode(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static PublicKey decodePublic(byte[] der) throws GeneralSecurityException {
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
  }
}
