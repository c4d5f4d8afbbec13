package dev.jwo.core.security;

import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A client's bearer token as gRPC call credentials: sends {@code authorization: Bearer <token>} with every call.
 * It refuses to send the token in plaintext except to a loopback address, so that a token cannot leak on a
 * network by mistake. {@link #toString()} never shows the token.
 */
public final class BearerToken extends CallCredentials {
  /** The header that carries the token. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final String SCHEME = "Bearer ";

  private final String token;

  private BearerToken(String token) {
    this.token = Objects.requireNonNull(token, "token");
  }

  public static BearerToken of(String token) {
    return new BearerToken(token.strip());
  }

  /** {@code channel} with this token on every call. */
  public Channel on(Channel channel) {
    return ClientInterceptors.intercept(channel, new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        return next.newCall(method, options.withCallCredentials(BearerToken.this));
      }
    });
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    if (info.getSecurityLevel() == SecurityLevel.NONE && !loopback(info.getAuthority())) {
      applier.fail(Status.UNAUTHENTICATED.withDescription("refusing to send a bearer token in plaintext to "
          + info.getAuthority() + "; connect with TLS"));
      return;
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, SCHEME + token);
    applier.apply(headers);
  }

  static boolean loopback(String authority) {
    String host = authority.startsWith("[") ? authority.substring(1, Math.max(1, authority.indexOf(']')))
        : authority.contains(":") ? authority.substring(0, authority.lastIndexOf(':')) : authority;
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  @Override
  public String toString() {
    return "BearerToken[hidden]";
  }
}
