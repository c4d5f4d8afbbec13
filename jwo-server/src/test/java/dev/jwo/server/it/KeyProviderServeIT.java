package dev.jwo.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.cart.v1.AdmitPartyRequest;
import dev.jwo.cart.v1.AdmitPartyResponse;
import dev.jwo.cart.v1.GetSessionRequest;
import dev.jwo.cart.v1.Session;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenKey;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.testing.scenario.StoreScript;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jwo serve --key-provider CLASS} from the command line: a retailer's provider class on the class path gives
 * the store its keys. A token {@code jwo token --key-provider} issued, a party admitted (its credential journaled
 * sealed under a key wrapped by the provider's master key), then the server restarted on the same data with the same
 * provider: the token still verifies and the visit, replayed from the sealed entry, is still the party's. Another
 * provider's keys, a class that is missing or no provider are refused at start-up, saying why.
 */
class KeyProviderServeIT {
  @TempDir Path dir;
  private ServerProcess server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theProvidersKeysSignTokensAndOpenWhatWasSealedAcrossARestart() throws Exception {
    Path store = dir.resolve("store.json");
    StoreLogWriter.writeStore(store, StoreScript.smallStore("it-kp", "US-IL"));
    Path data = dir.resolve("data");
    Path secrets = dir.resolve("secrets");
    Files.createDirectories(secrets);
    KeyFileProvider.create(secrets.resolve(KeyFileProvider.VAULT_KEY_FILE));
    KeyFileProvider.create(secrets.resolve(KeyFileProvider.SUBJECT_KEY_FILE));
    TokenKey tokenKey = KeyFileProvider.tokenKeyIn(secrets.resolve(KeyFileProvider.TOKEN_KEY_FILE), true);
    Map<String, String> environment = Map.of(SecretFolderKeys.FOLDER, secrets.toString());
    List<String> serve = List.of("--store", store.toString(), "--data", data.toString(), "--key-provider",
        SecretFolderKeys.class.getName());

    ServerProcess.Run issued = ServerProcess.run(environment, List.of("token", "--store", store.toString(), "--data",
        data.toString(), "--key-provider", SecretFolderKeys.class.getName(), "--role", "shopper-app", "--subject",
        "app-1", "--party", "c-kp-alice"));
    assertThat(issued.exitCode()).as(issued.output()).isZero();
    String token = issued.output().strip().lines().reduce((a, b) -> b).orElseThrow();

    server = ServerProcess.startWithKeys(environment, serve, tokenKey);
    SessionServiceGrpc.SessionServiceBlockingStub app = SessionServiceGrpc.newBlockingStub(bearer(server.channel,
        token));
    AdmitPartyResponse admitted = app.withDeadlineAfter(10, TimeUnit.SECONDS).admitParty(AdmitPartyRequest
        .newBuilder().setGate("in-1").setCredential("c-kp-alice").setPartySize(1).build());
    // A gate sensor's heartbeat moves the store's event time past the reordering window: the entry is processed.
    Gateway gate = new Gateway("gate-in-1", List.of(), admitted.getAdmittedAtMs() + 1_500);
    gate.sendUntil(server.as(Role.SENSOR_GATEWAY), gate.size());
    Session before = awaitSession(app, admitted.getVisitId());
    assertThat(server.output()).anySatisfy(line -> assertThat(line).contains("with the secret folder of "
        + SecretFolderKeys.FOLDER));
    server.close();

    server = ServerProcess.startWithKeys(environment, serve, tokenKey);
    app = SessionServiceGrpc.newBlockingStub(bearer(server.channel, token));
    Session after = awaitSession(app, admitted.getVisitId());
    assertThat(after.getEntryTsMs()).isEqualTo(before.getEntryTsMs()).isEqualTo(admitted.getAdmittedAtMs());
    assertThat(after.getPartySize()).isEqualTo(1);
    server.close();
    server = null;

    Path otherSecrets = dir.resolve("other-secrets");
    KeyFileProvider.create(otherSecrets.resolve(KeyFileProvider.VAULT_KEY_FILE));
    KeyFileProvider.create(otherSecrets.resolve(KeyFileProvider.SUBJECT_KEY_FILE));
    assertThatThrownBy(() -> ServerProcess.startWithKeys(Map.of(SecretFolderKeys.FOLDER, otherSecrets.toString()),
        serve, tokenKey)).as("another store's keys").hasMessageContaining("the server ended before printing its port")
        .hasMessageContaining("key");
  }

  @Test
  void aProviderClassThatIsMissingOrIsNoProviderIsRefusedSayingWhy() throws Exception {
    Path store = dir.resolve("store.json");
    StoreLogWriter.writeStore(store, StoreScript.smallStore("it-kp-bad", "US-IL"));
    Path data = dir.resolve("data");

    ServerProcess.Run missing = ServerProcess.run(Map.of(), List.of("serve", "--store", store.toString(), "--data",
        data.toString(), "--port", "0", "--key-provider", "com.example.NoSuchKms"));
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.output()).contains("--key-provider com.example.NoSuchKms: no such class on the class path");

    ServerProcess.Run notKeys = ServerProcess.run(Map.of(), List.of("serve", "--store", store.toString(), "--data",
        data.toString(), "--port", "0", "--key-provider", "java.lang.StringBuilder"));
    assertThat(notKeys.exitCode()).isEqualTo(1);
    assertThat(notKeys.output()).contains("--key-provider java.lang.StringBuilder: not a key provider");

    ServerProcess.Run noEnvironment = ServerProcess.run(Map.of(), List.of("serve", "--store", store.toString(),
        "--data", data.toString(), "--port", "0", "--key-provider", SecretFolderKeys.class.getName()));
    assertThat(noEnvironment.exitCode()).isEqualTo(1);
    assertThat(noEnvironment.output()).contains("its constructor failed")
        .contains(SecretFolderKeys.FOLDER + " names no secret folder");
    assertThat(data.resolve("jwo-store.mv.db")).as("nothing was written").doesNotExist();
  }

  private static Session awaitSession(SessionServiceGrpc.SessionServiceBlockingStub app, String visit)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return app.withDeadlineAfter(5, TimeUnit.SECONDS).getSession(GetSessionRequest.newBuilder()
            .setVisitId(visit).build());
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static Channel bearer(Channel channel, String token) {
    return ClientInterceptors.intercept(channel, new io.grpc.ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            super.start(listener, headers);
          }
        };
      }
    });
  }
}
