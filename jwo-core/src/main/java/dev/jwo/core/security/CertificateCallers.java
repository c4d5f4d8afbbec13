package dev.jwo.core.security;

import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Turns a client certificate, already verified by TLS against the store's client CA, into a {@link Caller}: the
 * subject's {@code OU} is the role's wire name (e.g. {@code OU=sensor-gateway}) and its {@code CN} the caller's
 * subject (e.g. {@code CN=gate-gw-1}). A shopper's app cannot authenticate with a certificate, since a certificate
 * names no party: it uses a token.
 */
public final class CertificateCallers {
  private CertificateCallers() {}

  /**
   * The caller a certificate names.
   *
   * @throws InvalidTokenException (as for tokens: the credentials presented do not authenticate) with the reason
   */
  public static Caller callerOf(X509Certificate certificate) {
    String dn = certificate.getSubjectX500Principal().getName();
    Optional<String> cn = attribute(dn, "CN");
    Optional<String> ou = attribute(dn, "OU");
    if (cn.isEmpty() || ou.isEmpty()) {
      throw new InvalidTokenException("the client certificate's subject '" + dn + "' must name the caller in CN and"
          + " its role in OU (one of " + Role.wireNames() + ")");
    }
    Role role = Role.fromWireName(ou.get()).orElseThrow(() -> new InvalidTokenException(
        "the client certificate's OU '" + ou.get() + "' is not a role; use one of " + Role.wireNames()));
    if (role == Role.SHOPPER_APP) {
      throw new InvalidTokenException("a shopper's app authenticates with a token that names its party, not with"
          + " a client certificate");
    }
    try {
      return new Caller(role, cn.get(), null);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("the client certificate's CN is not a valid caller subject: " + e.getMessage());
    }
  }

  private static Optional<String> attribute(String dn, String type) {
    try {
      for (Rdn rdn : new LdapName(dn).getRdns()) {
        if (rdn.getType().equalsIgnoreCase(type)) {
          return Optional.of(String.valueOf(rdn.getValue()));
        }
      }
      return Optional.empty();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
