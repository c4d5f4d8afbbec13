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
 */
public record GrpcServerSettings(
    int port,
    @Nullable String inProcessName,
    Duration defaultUnaryDeadline,
    @Nullable Path tlsCertificateChain,
    @Nullable Path tlsPrivateKey) {

  public GrpcServerSettings {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    Objects.requireNonNull(defaultUnaryDeadline, "defaultUnaryDeadline");
    if ((tlsCertificateChain == null) != (tlsPrivateKey == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate chain and a private key");
    }
  }

  public static GrpcServerSettings onPort(int port) {
    return new GrpcServerSettings(port, null, Duration.ofSeconds(30), null, null);
  }

  public static GrpcServerSettings inProcess(String name) {
    return new GrpcServerSettings(0, name, Duration.ofSeconds(30), null, null);
  }

  public GrpcServerSettings withTls(Path certificateChain, Path privateKey) {
    return new GrpcServerSettings(port, inProcessName, defaultUnaryDeadline, certificateChain, privateKey);
  }
}
