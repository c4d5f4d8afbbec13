package dev.jwo.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.Guice;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.TestStores;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.v1.GetCapturePolicyRequest;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server over real TLS on loopback: keys in PKCS#8, PKCS#1 and SEC1 PEM, and callers authenticated by client
 * certificate (CN = caller, OU = role). Certificates are made with the openssl command line, which must be installed.
 */
class TlsServerTest {
  @TempDir Path dir;

  private void openssl(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("openssl %s: %s", command, out).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException("this test needs the openssl command line tool on the PATH", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void certificateFor(String key) {
    openssl("req", "-x509", "-key", key, "-out", "server.crt", "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
  }

  private JwoGrpcServer serve(Path key, TokenIssuer callers, boolean clientCertificates) {
    var authentication = clientCertificates
        ? callers.authentication().withClientCa(dir.resolve("ca.crt")) : callers.authentication();
    return Guice.createInjector(new CoreModule(TestStores.small()), binder -> {
      OptionalBinder.newOptionalBinder(binder, GrpcServerSettings.class).setBinding()
          .toInstance(GrpcServerSettings.onPort(0).withTls(dir.resolve("server.crt"), key));
      OptionalBinder.newOptionalBinder(binder, dev.jwo.core.security.CallerAuthentication.class).setBinding()
          .toInstance(authentication);
    }).getInstance(JwoGrpcServer.class).start();
  }

  private static String capturePolicy(JwoGrpcServer server, ChannelCredentials credentials,
      io.grpc.CallCredentials token) {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), credentials).build();
    try {
      var stub = SensorIngestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
      if (token != null) {
        stub = stub.withCallCredentials(token);
      }
      return stub.getCapturePolicy(GetCapturePolicyRequest.getDefaultInstance()).toString();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void serverKeysInPkcs1AndSec1PemWorkLikePkcs8() throws Exception {
    TokenIssuer callers = TokenIssuer.withNewKey(TestStores.small().storeId().value(), Clock.systemUTC());
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-pkcs8.key");
    openssl("rsa", "-in", "rsa-pkcs8.key", "-traditional", "-out", "rsa-pkcs1.key");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-sec1.key");
    assertThat(Files.readString(dir.resolve("rsa-pkcs1.key"))).contains("BEGIN RSA PRIVATE KEY");
    assertThat(Files.readString(dir.resolve("ec-sec1.key"))).contains("BEGIN EC PRIVATE KEY");

    for (String key : List.of("rsa-pkcs8.key", "rsa-pkcs1.key", "ec-sec1.key")) {
      certificateFor(key);
      JwoGrpcServer server = serve(dir.resolve(key), callers, false);
      try {
        ChannelCredentials tls = TlsChannelCredentials.newBuilder().trustManager(dir.resolve("server.crt").toFile())
            .build();
        assertThat(capturePolicy(server, tls, callers.bearer(Role.STAFF, "desk-1"))).as(key).isNotNull();
      } finally {
        server.shutdown(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void anUnreadableKeySaysHowToConvertIt() throws Exception {
    Files.writeString(dir.resolve("server.crt"), "");
    Files.write(dir.resolve("garbage.key"), new byte[] {0x30, 0x03, 0x02, 0x01, 0x00});
    TokenIssuer callers = TokenIssuer.withNewKey(TestStores.small().storeId().value(), Clock.systemUTC());

    assertThatThrownBy(() -> serve(dir.resolve("garbage.key"), callers, false))
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void aClientCertificateNamesTheCallerAndItsRole() throws Exception {
    TokenIssuer callers = TokenIssuer.withNewKey(TestStores.small().storeId().value(), Clock.systemUTC());
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
        "-out", "ca.crt", "-days", "2", "-subj", "/CN=test client CA");
    for (String who : List.of("staff", "reviewer")) {
      openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
          who + ".key", "-out", who + ".csr", "-subj", "/OU=" + who + "/CN=" + who + "-1");
      openssl("x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
          "-out", who + ".crt", "-days", "2");
    }
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server.key");
    certificateFor("server.key");
    JwoGrpcServer server = serve(dir.resolve("server.key"), callers, true);
    try {
      ChannelCredentials asStaff = TlsChannelCredentials.newBuilder()
          .trustManager(dir.resolve("server.crt").toFile())
          .keyManager(dir.resolve("staff.crt").toFile(), dir.resolve("staff.key").toFile()).build();
      ChannelCredentials asReviewer = TlsChannelCredentials.newBuilder()
          .trustManager(dir.resolve("server.crt").toFile())
          .keyManager(dir.resolve("reviewer.crt").toFile(), dir.resolve("reviewer.key").toFile()).build();
      ChannelCredentials anonymous = TlsChannelCredentials.newBuilder()
          .trustManager(dir.resolve("server.crt").toFile()).build();

      assertThat(capturePolicy(server, asStaff, null)).isNotNull();
      Status denied = catchThrowableOfType(StatusRuntimeException.class,
          () -> capturePolicy(server, asReviewer, null)).getStatus();
      assertThat(denied.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(denied.getDescription()).contains("role reviewer may not call");
      Status unauthenticated = catchThrowableOfType(StatusRuntimeException.class,
          () -> capturePolicy(server, anonymous, null)).getStatus();
      assertThat(unauthenticated.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    } finally {
      server.shutdown(Duration.ofSeconds(5));
    }
  }
}
