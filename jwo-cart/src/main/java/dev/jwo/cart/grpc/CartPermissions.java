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
 * Who may call the session and cart services: a shopper's app its own party's admission, session and cart; a gate's
 * scanner (sensor gateway) and staff ask before a gate opens; staff admits parties and reads any visit; a reviewer
 * reads any visit; the store admin reads sessions.
 */
public final class CartPermissions {
  private CartPermissions() {}

  /**
   * The table, checking a shopper's visits against {@code sessions} and, for a visit admitted over gRPC that the
   * pipeline has not released yet, against the credential {@code watchers} expect it for.
   */
  public static PermissionTable table(SessionRegistry sessions, CartWatchers watchers) {
    return PermissionTable.builder()
        .allowOwnParty(SessionServiceGrpc.getAdmitPartyMethod().getFullMethodName(),
            (AdmitPartyRequest request, Credential party) -> request.getCredential().equals(party.reveal()),
            Role.STAFF)
        .allow(SessionServiceGrpc.getRequestEntryMethod().getFullMethodName(), Role.SENSOR_GATEWAY, Role.STAFF)
        .allow(SessionServiceGrpc.getCancelEntryMethod().getFullMethodName(), Role.SENSOR_GATEWAY, Role.STAFF)
        .allowOwnParty(SessionServiceGrpc.getGetSessionMethod().getFullMethodName(),
            (GetSessionRequest request, Credential party) -> admitted(sessions, watchers, request.getVisitId(), party),
            Role.REVIEWER, Role.STAFF, Role.STORE_ADMIN)
        .allowOwnParty(CartServiceGrpc.getGetCartMethod().getFullMethodName(),
            (GetCartRequest request, Credential party) -> admitted(sessions, watchers, request.getVisitId(), party),
            Role.REVIEWER, Role.STAFF)
        .allowOwnParty(CartServiceGrpc.getWatchCartMethod().getFullMethodName(),
            (WatchCartRequest request, Credential party) -> admitted(sessions, watchers, request.getVisitId(), party),
            Role.REVIEWER, Role.STAFF)
        .build();
  }

  /**
   * Whether {@code visitId} names a visit of {@code party}: one the session registry holds with that credential, or
   * one just admitted over gRPC for that credential, which the pipeline has not released yet. A visit id names no
   * person, so an unknown visit is refused.
   */
  private static boolean admitted(SessionRegistry sessions, CartWatchers watchers, String visitId,
      Credential party) {
    if (visitId.isBlank()) {
      return false;
    }
    VisitId visit = VisitId.of(visitId);
    var session = sessions.session(visit);
    if (session.isPresent()) {
      return session.get().admission().credential().equals(party);
    }
    return watchers.party(visit).map(party::equals).orElse(false);
  }
}
