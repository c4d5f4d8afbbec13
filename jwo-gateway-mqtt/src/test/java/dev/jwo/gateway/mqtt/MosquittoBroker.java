package dev.jwo.gateway.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A Mosquitto broker of the test's own on a free loopback port, with a persistent store (unless told otherwise), so that a test can stop
 * and restart it without touching the machine's broker. Needs the {@code mosquitto} executable on the path.
 */
final class MosquittoBroker implements AutoCloseable {
  private final Path config;
  private final Path log;
  final int port;
  private @Nullable Process process;

  MosquittoBroker(Path dir) throws IOException {
    this(dir, true);
  }

  /** A broker that keeps sessions and queued messages across a restart only if {@code persistent}. */
  MosquittoBroker(Path dir, boolean persistent) throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path data = Files.createDirectories(dir.resolve("mosquitto-data"));
    config = dir.resolve("mosquitto.conf");
    log = dir.resolve("mosquitto.log");
    Files.writeString(config, "listener " + port + " 127.0.0.1\n"
        + "allow_anonymous true\n"
        // Started as root, Mosquitto switches to the user "mosquitto", which cannot write the test's folder: the
        // broker would then lose its sessions and queued messages at a restart. Stay the user that runs the test.
        + "user " + System.getProperty("user.name") + "\n"
        + "persistence " + persistent + "\n"
        + "persistence_location " + data + "/\n"
        + "max_inflight_messages 20\n"
        + "log_type error\nlog_type warning\nlog_type notice\nlog_type information\nlog_type debug\n");
  }

  /** What the broker logged so far, to explain a failure. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no mosquitto log: " + e + ")";
    }
  }

  String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Starts the broker and waits until it takes connections. */
  void start() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("mosquitto", "-c", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("this test needs the mosquitto executable (Debian package mosquitto): " + e, e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        if (process != null && !process.isAlive()) {
          throw new IllegalStateException("mosquitto ended at start:\n" + Files.readString(log));
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
    throw new IllegalStateException("mosquitto did not listen on port " + port + " within 20 s:\n"
        + Files.readString(log));
  }

  /** Stops the broker with SIGTERM: it saves its sessions and queued messages, as a restarted broker does. */
  void stop() {
    Process running = process;
    if (running != null) {
      running.destroy();
      try {
        if (!running.waitFor(20, TimeUnit.SECONDS)) {
          running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        running.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      process = null;
      try {
        String written = Files.readString(log);
        if (written.contains("Error saving")) {
          throw new IllegalStateException("mosquitto could not save its sessions at stop:\n" + written);
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the mosquitto log " + log + ": " + e, e);
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
