package dev.jwo.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.security.TokenKey;
import dev.jwo.core.storelog.StoreLogReader;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jwo serve} running as a child process from the built server jar (plus this module's test classes, for
 * {@code --module}), with a loopback channel to it once it has printed its port. Its token key is kept in a
 * temporary folder, and {@link #as} calls with a token issued from it.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("on port (\\d+)");

  private final Process process;
  private final List<String> output;
  final int port;
  /** The loopback connection, without credentials. */
  final ManagedChannel channel;
  private final TokenIssuer callers;

  private ServerProcess(Process process, int port, List<String> output, TokenIssuer callers) {
    this.process = process;
    this.output = output;
    this.port = port;
    this.callers = callers;
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  /** The connection, calling with a token for {@code role}. */
  Channel as(Role role) {
    return callers.as(channel, role);
  }

  /** Starts {@code jwo serve <args>} with the given system properties ({@code -Dname=value}) and waits for its port. */
  static ServerProcess start(List<String> systemProperties, List<String> args) throws Exception {
    Path tokenKey = Files.createTempDirectory("jwo-it-keys").resolve("token-key.pem");
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--token-key", tokenKey.toString()));
    return start(Map.of(), systemProperties, all, () -> TokenKey.fromPem(Files.readString(tokenKey)));
  }

  /**
   * Starts {@code jwo serve <args>} with {@code environment} added to this process's, its keys given by
   * {@code args} ({@code --key-provider}), calling with tokens signed by {@code tokenKey}.
   */
  static ServerProcess startWithKeys(Map<String, String> environment, List<String> args, TokenKey tokenKey)
      throws Exception {
    return start(environment, List.of(), args, () -> tokenKey);
  }

  /** {@code jwo <args>} run from the built server jar with {@code environment} added: its exit code and output. */
  static Run run(Map<String, String> environment, List<String> args) throws Exception {
    Process process = processBuilder(environment, List.of(), args).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("jwo %s ended", args).isTrue();
    return new Run(process.exitValue(), output);
  }

  /** A finished command: its exit code and everything it printed. */
  record Run(int exitCode, String output) {}

  private static ProcessBuilder processBuilder(Map<String, String> environment, List<String> systemProperties,
      List<String> args) {
    Path jar = Path.of("target", "jwo-server.jar").toAbsolutePath();
    assertThat(jar).as("the server jar is built in the package phase").exists();
    Path testClasses = Path.of("target", "test-classes").toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(systemProperties);
    command.addAll(List.of("-cp", jar + java.io.File.pathSeparator + testClasses, "dev.jwo.server.cli.JwoCli"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    return builder;
  }

  private interface TokenKeySource {
    TokenKey get() throws IOException;
  }

  private static ServerProcess start(Map<String, String> environment, List<String> systemProperties,
      List<String> args, TokenKeySource tokenKey) throws Exception {
    List<String> serve = new ArrayList<>(List.of("serve"));
    serve.addAll(args);
    serve.addAll(List.of("--port", "0"));
    String storeId = StoreLogReader.readStore(Path.of(args.get(args.indexOf("--store") + 1))).storeId().value();
    Process process = processBuilder(environment, systemProperties, serve).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
          Matcher m = PORT.matcher(line);
          if (line.startsWith("jwo serving") && m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      port.completeExceptionally(new IllegalStateException("the server ended before printing its port:\n"
          + String.join("\n", lines)));
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    int bound = port.get(90, TimeUnit.SECONDS);
    TokenIssuer callers = new TokenIssuer(tokenKey.get(), storeId, Clock.systemUTC());
    return new ServerProcess(process, bound, lines, callers);
  }

  /** Everything the server printed so far (its log included). */
  List<String> output() {
    return List.copyOf(output);
  }

  /** Kills the server with SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    channel.shutdownNow();
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed server ended").isTrue();
  }

  /** Stops the server the polite way (SIGTERM, then SIGKILL if it lingers). */
  @Override
  public void close() {
    channel.shutdownNow();
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
