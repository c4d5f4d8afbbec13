package dev.jwo.core.grpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the store's gRPC server listens.
 *
 * @param port TCP port; 0 picks a free one
 * @param inProcessName if set, serve in-process under this name instead of on a port (for tests and embedding)
 * @param defaultUnaryDeadline the deadline applied to unary calls whose client set none
 * @param tlsCertificateChain PEM certificate chain; with {@code tlsPrivateKey}, the server speaks TLS only
 * @param tlsPrivateKey PEM private key of the certificate
 * @param host the address to bind (a name or IP literal); null binds every address of the machine
 */
public record GrpcServerSettings(
    int port,
    @Nullable String inProcessName,
    Duration defaultUnaryDeadline,
    @Nullable Path tlsCertificateChain,
    @Nullable Path tlsPrivateKey,
    @Nullable String host) {

  /** The loopback address, which {@code jwo serve} binds unless told otherwise. */
  public static final String LOOPBACK = "127.0.0.1";

  public GrpcServerSettings {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    Objects.requireNonNull(defaultUnaryDeadline, "defaultUnaryDeadline");
    if ((tlsCertificateChain == null) != (tlsPrivateKey == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate chain and a private key");
    }
  }

  /** Settings that bind every address of the machine (see {@link #host}). */
  public GrpcServerSettings(int port, @Nullable String inProcessName, Duration defaultUnaryDeadline,
      @Nullable Path tlsCertificateChain, @Nullable Path tlsPrivateKey) {
    this(port, inProcessName, defaultUnaryDeadline, tlsCertificateChain, tlsPrivateKey, null);
  }

  public static GrpcServerSettings onPort(int port) {
    return new GrpcServerSettings(port, null, Duration.ofSeconds(30), null, null);
  }

  public static GrpcServerSettings inProcess(String name) {
    return new GrpcServerSettings(0, name, Duration.ofSeconds(30), null, null);
  }

  public GrpcServerSettings withTls(Path certificateChain, Path privateKey) {
    return new GrpcServerSettings(port, inProcessName, defaultUnaryDeadline, certificateChain, privateKey, host);
  }

  /** These settings bound to one address, e.g. {@link #LOOPBACK}. */
  public GrpcServerSettings withHost(String address) {
    Objects.requireNonNull(address, "address");
    return new GrpcServerSettings(port, inProcessName, defaultUnaryDeadline, tlsCertificateChain, tlsPrivateKey,
        address);
  }
}
