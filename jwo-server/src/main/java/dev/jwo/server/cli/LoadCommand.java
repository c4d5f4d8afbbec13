package dev.jwo.server.cli;

import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.grpc.IngestStream;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.storelog.EventLogReader;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.sim.Scenario;
import dev.jwo.sim.Simulator;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jwo load}: drives a running store over {@code IngestBatches} at a chosen rate and prints what it achieved.
 * The events of a store log (or of a simulated preset) are sent over and over, each stream as a source of its own
 * with its own sequence, stamped with the wall clock when sent so that the store takes them as live input.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = "Drive a running store (jwo serve) with sensor input over IngestBatches at a chosen rate; print "
        + "throughput, acknowledgement latency percentiles, outcomes and the server's heap. Loopback only; bounded "
        + "in time and rate. The store must be the one the events were made for (serve the same store.json).")
final class LoadCommand implements Callable<Integer> {
  private static final int MAX_RATE = 2_000_000;
  private static final int MAX_STREAMS = 64;
  private static final int MAX_DURATION_S = 3_600;
  private static final int MAX_EVENTS = 5_000_000;

  static final class Input {
    @Option(names = "--events", paramLabel = "FILE", description = "a store log's events.jsonl")
    @Nullable Path events;

    @Option(names = "--preset", paramLabel = "NAME",
        description = "simulate this preset (seed 1) and send its events; serve the store.json that "
            + "'jwo simulate --preset NAME' writes")
    @Nullable String preset;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input = new Input();

  @Option(names = "--target", defaultValue = "127.0.0.1:" + dev.jwo.core.inject.CoreModule.DEFAULT_PORT,
      paramLabel = "HOST:PORT", description = "the store's gRPC address, on this machine (default ${DEFAULT-VALUE})")
  String target;

  @Option(names = "--rate", defaultValue = "10000", paramLabel = "N",
      description = "messages per second to offer, all streams together (default ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--streams", defaultValue = "1", paramLabel = "K",
      description = "concurrent IngestBatches streams, each on a connection of its own (default ${DEFAULT-VALUE})")
  int streams;

  @Option(names = "--duration", defaultValue = "30", paramLabel = "S",
      description = "seconds to measure, after the warm-up (default ${DEFAULT-VALUE})")
  int duration;

  @Option(names = "--warmup", defaultValue = "5", paramLabel = "S",
      description = "seconds to send before measuring (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--batch", paramLabel = "N",
      description = "messages per batch (default: what makes about 200 batches per second per stream, 1 to 2000)")
  @Nullable Integer batch;

  @Option(names = "--window", defaultValue = "32", paramLabel = "N",
      description = "batches per stream sent and not yet acknowledged, at most (default ${DEFAULT-VALUE})")
  int window;

  @Option(names = "--metrics", paramLabel = "URL",
      description = "the store's metrics endpoint (serve --metrics-port), e.g. http://127.0.0.1:9464/metrics, "
          + "to report its heap")
  @Nullable URI metrics;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "bearer token sent as 'authorization: Bearer TOKEN' (default: the environment variable "
          + "JWO_TOKEN, if set)")
  @Nullable String token;

  @Override
  public Integer call() throws Exception {
    checkBounds();
    String[] hostPort = target.split(":", 2);
    if (hostPort.length != 2) {
      throw new IllegalArgumentException("--target must be HOST:PORT, was '" + target + "'");
    }
    if (!InetAddress.getByName(hostPort[0]).isLoopbackAddress()) {
      throw new IllegalArgumentException("--target " + target + " is not this machine; jwo load drives only a "
          + "store on the loopback address");
    }
    int port = Integer.parseInt(hostPort[1]);
    List<SensorEventMessage> events = loadEvents();
    String bearer = token != null ? token : System.getenv("JWO_TOKEN");
    int perBatch = batch != null ? batch : Math.max(1, Math.min(2_000, rate / streams / 200));
    String run = Long.toString(System.currentTimeMillis(), 36);
    System.out.printf(Locale.ROOT, "offering %,d messages/s over %d stream(s) in batches of %d for %d s "
        + "(after %d s of warm-up), %,d distinct events%n", rate, streams, perBatch, duration, warmup, events.size());

    HeapProbe heap = new HeapProbe(metrics);
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
    long end = measureFrom + TimeUnit.SECONDS.toNanos(duration);
    List<Sender> senders = new ArrayList<>();
    for (int k = 0; k < streams; k++) {
      ManagedChannel channel = ManagedChannelBuilder.forAddress(hostPort[0], port).usePlaintext().build();
      Sender sender = new Sender("load-" + run + "-" + k, channel, bearer, events, k,
          (double) rate / streams, perBatch, window, start, measureFrom, end);
      senders.add(sender);
      sender.thread.start();
    }
    while (System.nanoTime() < end) {
      TimeUnit.MILLISECONDS.sleep(1_000);
      heap.sample();
    }
    for (Sender sender : senders) {
      sender.thread.join();
    }
    for (Sender sender : senders) {
      sender.drain();
    }
    heap.sample();
    report(senders, heap);
    return senders.stream().anyMatch(s -> s.failed.get() > 0) ? 1 : 0;
  }

  private void checkBounds() {
    if (rate < 1 || rate > MAX_RATE) {
      throw new IllegalArgumentException("--rate must be 1 to " + MAX_RATE);
    }
    if (streams < 1 || streams > MAX_STREAMS) {
      throw new IllegalArgumentException("--streams must be 1 to " + MAX_STREAMS);
    }
    if (duration < 1 || duration > MAX_DURATION_S || warmup < 0 || warmup > MAX_DURATION_S) {
      throw new IllegalArgumentException("--duration must be 1 to " + MAX_DURATION_S + " s and --warmup 0 to "
          + MAX_DURATION_S + " s");
    }
    if (batch != null && (batch < 1 || batch > 2_000)) {
      throw new IllegalArgumentException("--batch must be 1 to 2000");
    }
    if (window < 1 || window > 1_000) {
      throw new IllegalArgumentException("--window must be 1 to 1000");
    }
  }

  private List<SensorEventMessage> loadEvents() throws IOException {
    Path file = input.events;
    Path simulated = null;
    if (file == null) {
      simulated = Files.createTempDirectory("jwo-load-");
      new Simulator(Scenario.preset(String.valueOf(input.preset)), 1).run(simulated, (done, total, count) -> { });
      file = simulated.resolve("events.jsonl");
    }
    List<SensorEventMessage> messages = new ArrayList<>();
    try (EventLogReader reader = StoreLogReader.openEvents(file)) {
      for (SensorEvent event = reader.next(); event != null && messages.size() < MAX_EVENTS; event = reader.next()) {
        messages.add(SensorEventProtos.toProto(event, "load", 0));
      }
    } finally {
      if (simulated != null) {
        try (Stream<Path> paths = Files.walk(simulated)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
    if (messages.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no events");
    }
    return messages;
  }

  private void report(List<Sender> senders, HeapProbe heap) {
    LatencyHistogram latency = new LatencyHistogram();
    long sent = 0;
    long accepted = 0;
    long failed = 0;
    Map<String, Long> rejected = new TreeMap<>();
    for (Sender s : senders) {
      latency.add(s.latency);
      sent += s.measuredSent;
      accepted += s.accepted.get();
      failed += s.failed.get();
      s.rejected.forEach((reason, n) -> rejected.merge(reason, n, Long::sum));
    }
    long rejectedTotal = rejected.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(Locale.ROOT, "sent %,d messages in %d s: %,.0f messages/s offered, %,.0f/s acknowledged "
        + "(target %,d/s)%n", sent, duration, (double) sent / duration, (double) latency.count() / duration, rate);
    System.out.printf(Locale.ROOT, "acknowledged: %,d accepted, %,d rejected%s; %,d failed (stream errors)%n",
        accepted, rejectedTotal, rejected.isEmpty() ? "" : " " + rejected, failed);
    System.out.printf(Locale.ROOT, "acknowledgement latency: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms%n",
        latency.percentileMillis(0.5), latency.percentileMillis(0.99), latency.percentileMillis(0.999),
        latency.maxMillis());
    heap.report();
  }

  /** One stream: sends batches on schedule, keeps at most {@code window} unanswered, records their latency. */
  private static final class Sender {
    final Thread thread;
    final LatencyHistogram latency = new LatencyHistogram();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final Map<String, Long> rejected = new TreeMap<>();
    long measuredSent;
    private final IngestStream stream;
    private final ManagedChannel channel;
    private final Semaphore window;
    private final int windowSize;

    Sender(String source, ManagedChannel channel, @Nullable String token, List<SensorEventMessage> events,
        int offset, double ratePerStream, int perBatch, int windowSize, long start, long measureFrom, long end) {
      this.channel = channel;
      this.stream = new IngestStream(channel, token);
      this.windowSize = windowSize;
      this.window = new Semaphore(windowSize);
      long interval = (long) (perBatch * 1e9 / ratePerStream);
      this.thread = new Thread(() -> {
        long next = start;
        long sequence = 0;
        int cursor = offset;
        List<SensorEventMessage> batch = new ArrayList<>(perBatch);
        while (true) {
          long now = System.nanoTime();
          if (now >= end) {
            return;
          }
          if (next > now) {
            LockSupport.parkNanos(next - now);
            continue;
          }
          if (now - next > 1_000_000_000L) {
            next = now; // more than a second behind: offer what can be sent rather than a burst
          }
          try {
            if (!window.tryAcquire(end - now, TimeUnit.NANOSECONDS)) {
              return;
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          long ts = System.currentTimeMillis();
          batch.clear();
          for (int i = 0; i < perBatch; i++) {
            SensorEventMessage event = events.get(cursor);
            cursor = (cursor + 1) % events.size();
            batch.add(event.toBuilder().setSource(source).setSequence(++sequence).setTsMs(ts).build());
          }
          long sentAt = System.nanoTime();
          boolean measured = sentAt >= measureFrom;
          if (measured) {
            measuredSent += perBatch;
          }
          CompletableFuture<?> unused = stream.send(List.copyOf(batch)).whenComplete((acks, error) -> {
            long took = System.nanoTime() - sentAt;
            synchronized (this) {
              if (error != null) {
                failed.addAndGet(perBatch);
              } else if (measured) {
                latency.record(took, acks.size());
                for (IngestAck ack : acks) {
                  if (ack.getOutcome() == IngestAck.Outcome.ACCEPTED) {
                    accepted.incrementAndGet();
                  } else {
                    rejected.merge(ack.getReason().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
                  }
                }
              }
            }
            window.release();
          });
          next += interval;
        }
      }, "jwo-load-" + offset);
    }

    /** Waits up to ten seconds for the answers still due, then closes the stream. */
    void drain() throws InterruptedException {
      if (window.tryAcquire(windowSize, 10, TimeUnit.SECONDS)) {
        window.release(windowSize);
      }
      stream.close();
      channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Reads the server's heap from its Prometheus endpoint, if given. */
  private static final class HeapProbe {
    private final @Nullable URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private double last = Double.NaN;
    private double peak = Double.NaN;
    private @Nullable String error;

    HeapProbe(@Nullable URI endpoint) {
      this.endpoint = endpoint;
    }

    void sample() {
      if (endpoint == null) {
        return;
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        double heap = 0;
        for (String line : response.body().lines().toList()) {
          if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
            heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          }
        }
        last = heap;
        peak = Double.isNaN(peak) ? heap : Math.max(peak, heap);
      } catch (IOException | RuntimeException e) {
        error = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void report() {
      if (endpoint == null) {
        System.out.println("server heap: not measured (give --metrics http://127.0.0.1:PORT/metrics of serve "
            + "--metrics-port PORT)");
      } else if (Double.isNaN(last)) {
        System.out.println("server heap: could not be read from " + endpoint + ": " + error);
      } else {
        System.out.printf(Locale.ROOT, "server heap: %.0f MB used at the end, %.0f MB at most (sampled every "
            + "second from %s)%n", last / 1e6, peak / 1e6, endpoint);
      }
    }
  }
}
