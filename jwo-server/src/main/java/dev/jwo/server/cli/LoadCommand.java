package dev.jwo.server.cli;

import dev.jwo.core.StoreLayout;
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
 * with its own sequence, stamped with the wall clock when sent so that the store takes them as live input. With
 * {@code --paced}, stream 0 replays them at their recorded pace instead (so the store sees the simulated shoppers
 * and their carts fill), and with {@code --watch-token} the carts of its visits are watched to time each cart
 * update from the acknowledgement of the shelf event that made it ({@link CartLatencyProbe}).
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

  private @Nullable StoreLayout simulatedLayout;

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

  @Option(names = "--kinds", split = ",", paramLabel = "KIND",
      description = "send only events of these kinds (entry, exit, weight, frame), e.g. --kinds weight to measure "
          + "ingest without the camera and tracking work (default: every kind)")
  List<String> kinds = List.of();

  @Option(names = "--window", defaultValue = "32", paramLabel = "N",
      description = "batches per stream sent and not yet acknowledged, at most (default ${DEFAULT-VALUE})")
  int window;

  @Option(names = "--metrics", paramLabel = "URL",
      description = "the store's metrics endpoint (serve --metrics-port), e.g. http://127.0.0.1:9464/metrics, "
          + "to report its heap")
  @Nullable URI metrics;

  @Option(names = "--paced",
      description = "stream 0 replays the events at their recorded pace (times moved to now) instead of at --rate, "
          + "so that the store sees the simulated shoppers as they were; other streams add load at --rate")
  boolean paced;

  @Option(names = "--watch-token", paramLabel = "TOKEN",
      description = "a staff token: watch the carts (WatchCart) of stream 0's visits and report the latency from "
          + "a shelf event's acknowledgement to the cart update (use with --paced; default: the environment "
          + "variable JWO_WATCH_TOKEN, if set)")
  @Nullable String watchToken;

  @Option(names = "--store", paramLabel = "FILE",
      description = "the store's store.json, for the cart watch (default: store.json beside --events)")
  @Nullable Path store;

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
    String watcher = watchToken != null ? watchToken : System.getenv("JWO_WATCH_TOKEN");
    int loaded = paced ? streams - 1 : streams;
    int perBatch = batch != null ? batch : Math.max(1, Math.min(2_000, rate / Math.max(1, loaded) / 200));
    String run = Long.toString(System.currentTimeMillis(), 36);
    if (paced) {
      System.out.printf(Locale.ROOT, "stream 0 replays the events at their recorded pace; ");
    }
    System.out.printf(Locale.ROOT, "offering %,d messages/s over %d stream(s) in batches of %d for %d s "
        + "(after %d s of warm-up), %,d distinct events%n", loaded == 0 ? 0 : rate, loaded,
        loaded == 0 ? 0 : perBatch, duration, warmup, events.size());

    long start = System.nanoTime();
    HeapProbe heap = new HeapProbe(metrics, start);
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
    long end = measureFrom + TimeUnit.SECONDS.toNanos(duration);
    ManagedChannel watchChannel = null;
    CartLatencyProbe probe = null;
    if (watcher != null) {
      watchChannel = ManagedChannelBuilder.forAddress(hostPort[0], port).usePlaintext().build();
      probe = new CartLatencyProbe(watchChannel, watcher, storeLayout(), measureFrom);
    }
    List<Sender> senders = new ArrayList<>();
    for (int k = 0; k < streams; k++) {
      ManagedChannel channel = ManagedChannelBuilder.forAddress(hostPort[0], port).usePlaintext().build();
      boolean replay = paced && k == 0;
      Sender sender = new Sender("load-" + run + "-" + k, channel, bearer, events, k,
          replay ? 0 : (double) rate / loaded, perBatch, window, start, measureFrom, end, k == 0 ? probe : null);
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
    if (probe != null && watchChannel != null) {
      probe.report();
      probe.close();
      watchChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } else {
      System.out.println("cart-update latency: not measured (give --watch-token with a staff token, and --paced)");
    }
    return senders.stream().anyMatch(s -> s.failed.get() > 0) ? 1 : 0;
  }

  /** The store's layout: --store, or store.json beside the events, or the simulated preset's. */
  private StoreLayout storeLayout() throws IOException {
    if (store != null) {
      return StoreLogReader.readStore(store);
    }
    if (simulatedLayout != null) {
      return simulatedLayout;
    }
    Path events = java.util.Objects.requireNonNull(input.events);
    Path beside = events.toAbsolutePath().resolveSibling("store.json");
    if (!Files.exists(beside)) {
      throw new IllegalArgumentException("the cart watch needs the store's layout: give --store FILE (no "
          + beside + ")");
    }
    return StoreLogReader.readStore(beside);
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
      simulatedLayout = StoreLogReader.readStore(simulated.resolve("store.json"));
    }
    List<SensorEventMessage> messages = new ArrayList<>();
    try (EventLogReader reader = StoreLogReader.openEvents(file)) {
      for (SensorEvent event = reader.next(); event != null && messages.size() < MAX_EVENTS; event = reader.next()) {
        SensorEventMessage message = SensorEventProtos.toProto(event, "load", 0);
        if (kinds.isEmpty() || kinds.contains(SensorEventProtos.typeOf(message))) {
          messages.add(message);
        }
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
      throw new IllegalArgumentException(file + " holds no events" + (kinds.isEmpty() ? "" : " of kinds " + kinds));
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
        + "(target %s)%n", sent, duration, (double) sent / duration, (double) latency.count() / duration,
        paced ? (streams > 1 ? String.format(Locale.ROOT, "%,d/s plus the recorded pace", rate) : "the recorded pace")
            : String.format(Locale.ROOT, "%,d/s", rate));
    System.out.printf(Locale.ROOT, "acknowledged: %,d accepted, %,d rejected%s; %,d failed (stream errors)%n",
        accepted, rejectedTotal, rejected.isEmpty() ? "" : " " + rejected, failed);
    System.out.printf(Locale.ROOT, "acknowledgement latency: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms%n",
        latency.percentileMillis(0.5), latency.percentileMillis(0.99), latency.percentileMillis(0.999),
        latency.maxMillis());
    heap.report();
  }

  /**
   * One stream: sends batches on schedule (at its rate, or with a rate of 0 at the events' recorded pace), keeps at
   * most {@code window} unanswered, records their latency, and tells the cart probe (if any) what it sent.
   */
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
    private final List<SensorEventMessage> events;
    private final String source;
    private final @Nullable CartLatencyProbe probe;
    private long sequence;

    Sender(String source, ManagedChannel channel, @Nullable String token, List<SensorEventMessage> events,
        int offset, double ratePerStream, int perBatch, int windowSize, long start, long measureFrom, long end,
        @Nullable CartLatencyProbe probe) {
      this.channel = channel;
      this.stream = new IngestStream(channel, token);
      this.windowSize = windowSize;
      this.window = new Semaphore(windowSize);
      this.events = events;
      this.source = source;
      this.probe = probe;
      Runnable loop = ratePerStream > 0
          ? () -> sendAtRate(offset, ratePerStream, perBatch, start, measureFrom, end)
          : () -> sendAtRecordedPace(start, measureFrom, end);
      this.thread = new Thread(loop, "jwo-load-" + offset);
    }

    private void sendAtRate(int offset, double ratePerStream, int perBatch, long start, long measureFrom,
        long end) {
      long interval = (long) (perBatch * 1e9 / ratePerStream);
      long next = start;
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
        long ts = System.currentTimeMillis();
        batch.clear();
        for (int i = 0; i < perBatch; i++) {
          SensorEventMessage event = events.get(cursor);
          cursor = (cursor + 1) % events.size();
          batch.add(event.toBuilder().setSource(source).setSequence(++sequence).setTsMs(ts).build());
        }
        if (!send(batch, measureFrom, end)) {
          return;
        }
        next += interval;
      }
    }

    /**
     * Sends each event when its time comes, at the offset from the first event it was recorded at, stamped with
     * that time: the store sees the recorded store as it was, moved to now. Starts over after the last event.
     */
    private void sendAtRecordedPace(long start, long measureFrom, long end) {
      long first = events.get(0).getTsMs();
      long span = events.get(events.size() - 1).getTsMs() - first + 1_000;
      // The wall-clock time of the run's start (this thread may start a while after it): stamps follow the clock.
      long startMillis = System.currentTimeMillis() - (System.nanoTime() - start) / 1_000_000;
      long loop = 0;
      int cursor = 0;
      List<SensorEventMessage> batch = new ArrayList<>();
      while (true) {
        long now = System.nanoTime();
        if (now >= end) {
          return;
        }
        long elapsedMillis = (now - start) / 1_000_000;
        batch.clear();
        while (batch.size() < 2_000) {
          long due = events.get(cursor).getTsMs() - first + loop * span;
          if (due > elapsedMillis) {
            break;
          }
          batch.add(events.get(cursor).toBuilder().setSource(source).setSequence(++sequence)
              .setTsMs(startMillis + due).build());
          if (++cursor == events.size()) {
            cursor = 0;
            loop++;
          }
        }
        if (batch.isEmpty()) {
          long due = events.get(cursor).getTsMs() - first + loop * span;
          LockSupport.parkNanos(Math.min(end - now, Math.max(100_000, (due - elapsedMillis) * 1_000_000)));
          continue;
        }
        if (!send(batch, measureFrom, end)) {
          return;
        }
      }
    }

    /** Sends a batch once the window has room; false if the run ended first. */
    private boolean send(List<SensorEventMessage> batch, long measureFrom, long end) {
      try {
        if (!window.tryAcquire(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      List<SensorEventMessage> sent = List.copyOf(batch);
      CartLatencyProbe cartProbe = probe;
      if (cartProbe != null) {
        sent.forEach(cartProbe::sent);
      }
      int size = sent.size();
      long sentAt = System.nanoTime();
      boolean measured = sentAt >= measureFrom;
      if (measured) {
        measuredSent += size;
      }
      CompletableFuture<?> unused = stream.send(sent).whenComplete((acks, error) -> {
        long answeredAt = System.nanoTime();
        if (cartProbe != null && error == null) {
          cartProbe.acknowledged(sent, acks, answeredAt);
        }
        synchronized (this) {
          if (error != null) {
            failed.addAndGet(size);
          } else if (measured) {
            latency.record(answeredAt - sentAt, acks.size());
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
      return true;
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
    private final long start;
    /** Seconds since the start and heap bytes, one per sample. */
    private final List<double[]> samples = new ArrayList<>();
    private double last = Double.NaN;
    private double peak = Double.NaN;
    private @Nullable String error;

    HeapProbe(@Nullable URI endpoint, long start) {
      this.endpoint = endpoint;
      this.start = start;
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
        samples.add(new double[] {(System.nanoTime() - start) / 1e9, heap});
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
        StringBuilder series = new StringBuilder("server heap over the run (s: MB):");
        int step = Math.max(1, (samples.size() + 11) / 12);
        for (int i = 0; i < samples.size(); i += step) {
          // The highest sample of each stretch, so that no peak hides between the printed points.
          double[] highest = samples.get(i);
          for (int j = i; j < Math.min(samples.size(), i + step); j++) {
            if (samples.get(j)[1] > highest[1]) {
              highest = samples.get(j);
            }
          }
          series.append(String.format(Locale.ROOT, " %.0f: %.0f", highest[0], highest[1] / 1e6));
        }
        System.out.println(series);
      }
    }
  }
}
