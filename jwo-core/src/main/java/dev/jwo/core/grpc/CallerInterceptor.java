package dev.jwo.core.grpc;

import dev.jwo.core.Credential;
import dev.jwo.core.security.BearerToken;
import dev.jwo.core.security.Caller;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.CertificateCallers;
import dev.jwo.core.security.InvalidTokenException;
import dev.jwo.core.security.PartyCheck;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.security.TokenVerifier;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates the caller of every call (bearer token, or a client certificate verified by TLS), refuses with
 * {@code UNAUTHENTICATED} a call without valid credentials and with {@code PERMISSION_DENIED} one the
 * {@link PermissionTable} does not grant the caller's role, checks that a shopper's app asks only about its own
 * party, and makes the {@link Caller} available to the service ({@link Caller#current()}).
 */
final class CallerInterceptor implements ServerInterceptor {
  private static final String HOW = "send 'authorization: Bearer <token>' (make one with"
      + " jwo token --role ROLE --subject NAME) or connect with a client certificate";

  private final CallerAuthentication authentication;
  private final PermissionTable permissions;
  private final Clock clock;

  CallerInterceptor(CallerAuthentication authentication, PermissionTable permissions, Clock clock) {
    this.authentication = authentication;
    this.permissions = permissions;
    this.clock = clock;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Caller caller;
    try {
      caller = authenticate(call, headers);
    } catch (InvalidTokenException e) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription(e.getMessage()));
    }
    if (caller == null) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription(method + " needs credentials: " + HOW));
    }
    PermissionTable.Grant grant = permissions.grant(method, caller.role());
    if (grant == PermissionTable.Grant.DENY) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription(!permissions.names(method)
          ? method + " is in no permission table, so nobody may call it; its module must list it"
          : "role " + caller.role().wireName() + " may not call " + method + "; it is open to "
              + permissions.describe(method)));
    }
    Context context = caller.attachTo(Context.current());
    ServerCall.Listener<Q> listener = Contexts.interceptCall(context, call, headers, next);
    if (grant == PermissionTable.Grant.ALLOW) {
      return listener;
    }
    @SuppressWarnings("unchecked") // the table's check for a method takes that method's request type
    PartyCheck<Q> check = (PartyCheck<Q>) permissions.partyCheck(method).orElseThrow();
    Credential party = java.util.Objects.requireNonNull(caller.party(), "a shopper-app caller names its party");
    return new OwnPartyListener<>(listener, call, check, party, method);
  }

  private @Nullable Caller authenticate(ServerCall<?, ?> call, Metadata headers) {
    String authorization = headers.get(BearerToken.AUTHORIZATION);
    if (authorization != null) {
      TokenVerifier tokens = authentication.tokens();
      if (tokens == null) {
        throw new InvalidTokenException("this store accepts client certificates only, not bearer tokens");
      }
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw new InvalidTokenException("the authorization header must be 'Bearer <token>'");
      }
      return tokens.verify(authorization.substring(7).strip(), clock.instant());
    }
    if (authentication.clientCa() != null) {
      SSLSession tls = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      if (tls != null) {
        try {
          Certificate[] chain = tls.getPeerCertificates();
          if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
            return CertificateCallers.callerOf(leaf);
          }
        } catch (SSLPeerUnverifiedException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static <Q> ServerCall.Listener<Q> refuse(ServerCall<Q, ?> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /** Passes each request on only if it concerns the caller's own party; refuses the call at the first that does not. */
  private static final class OwnPartyListener<Q>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final ServerCall<Q, ?> call;
    private final PartyCheck<Q> check;
    private final Credential party;
    private final String method;
    private boolean refused;

    OwnPartyListener(ServerCall.Listener<Q> delegate, ServerCall<Q, ?> call, PartyCheck<Q> check, Credential party,
        String method) {
      super(delegate);
      this.call = call;
      this.check = check;
      this.party = party;
      this.method = method;
    }

    @Override
    public void onMessage(Q message) {
      if (refused) {
        return;
      }
      boolean own;
      try {
        own = check.concernsOnly(message, party);
      } catch (RuntimeException e) {
        own = false;
      }
      if (!own) {
        refused = true;
        call.close(Status.PERMISSION_DENIED.withDescription("a shopper's app may call " + method
            + " only for its own party (the credential its token names); this request concerns another party"
            + " or nothing this store knows"), new Metadata());
        return;
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        super.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        super.onReady();
      }
    }
  }
}
