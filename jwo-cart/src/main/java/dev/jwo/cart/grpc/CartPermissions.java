package dev.jwo.cart.grpc;

import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.v1.AdmitPartyRequest;
import dev.jwo.cart.v1.CartServiceGrpc;
import dev.jwo.cart.v1.GetCartRequest;
import dev.jwo.cart.v1.GetSessionRequest;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.cart.v1.WatchCartRequest;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.security.Role;

/**
 * Who may call the session and cart services: a shopper's app its own party's admission, session and cart; staff
 * admits parties and reads any visit; a reviewer reads any visit; the store admin reads sessions.
 */
public final class CartPermissions {
  private CartPermissions() {}

  /** The table, checking a shopper's visits against {@code sessions}. */
  public static PermissionTable table(SessionRegistry sessions) {
    return PermissionTable.builder()
        .allowOwnParty(SessionServiceGrpc.getAdmitPartyMethod().getFullMethodName(),
            (AdmitPartyRequest request, Credential party) -> request.getCredential().equals(party.reveal()),
            Role.STAFF)
        .allowOwnParty(SessionServiceGrpc.getGetSessionMethod().getFullMethodName(),
            (GetSessionRequest request, Credential party) -> admitted(sessions, request.getVisitId(), party),
            Role.REVIEWER, Role.STAFF, Role.STORE_ADMIN)
        .allowOwnParty(CartServiceGrpc.getGetCartMethod().getFullMethodName(),
            (GetCartRequest request, Credential party) -> admitted(sessions, request.getVisitId(), party),
            Role.REVIEWER, Role.STAFF)
        .allowOwnParty(CartServiceGrpc.getWatchCartMethod().getFullMethodName(),
            (WatchCartRequest request, Credential party) -> admitted(sessions, request.getVisitId(), party),
            Role.REVIEWER, Role.STAFF)
        .build();
  }

  /**
   * Whether {@code visitId} names a visit of {@code party}: one the session registry holds with that credential, or
   * (for a visit just admitted, which the pipeline has not released yet) an id derived from that credential.
   */
  private static boolean admitted(SessionRegistry sessions, String visitId, Credential party) {
    if (visitId.isBlank()) {
      return false;
    }
    var session = sessions.session(VisitId.of(visitId));
    if (session.isPresent()) {
      return session.get().admission().credential().equals(party);
    }
    return visitId.matches("v-\\d+-[0-9a-f]+")
        && visitId.endsWith("-" + party.pseudonym().substring(party.pseudonym().indexOf(':') + 1));
  }
}
