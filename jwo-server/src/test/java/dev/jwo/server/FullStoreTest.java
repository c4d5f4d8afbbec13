package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.jwo.core.Camera;
import dev.jwo.core.Credential;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.PipelineStats;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.storelog.ReceiptRecord;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.testing.scenario.StoreScript;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A complete store with every default, fed a scripted scenario through its pipeline. */
class FullStoreTest {
  static final long START = 1_764_410_400_000L;

  @Test
  void faceFeaturesAreDroppedAtTheDoorWithoutAPolicyAndShoppersAreStillChargedExactly() throws Exception {
    StoreScript script = twoShoppers(StoreScript.smallStore("face-001", "US-IL"));
    StoreLayout faceCameras = withCameraFeatures(script.layout(), FeatureKind.FACE_GEOMETRY);
    List<SensorEvent> events = script.events().stream().map(FullStoreTest::withFaces).toList();

    Run run = run(faceCameras, events);

    assertExact(run, script);
    double dropped = count(run.registry, "jwo.vision.features", "kind", "face_geometry", "outcome", "dropped");
    assertThat(dropped).isPositive();
    assertThat(count(run.registry, "jwo.vision.features", "kind", "face_geometry", "outcome", "used")).isZero();
    assertThat(count(run.registry, "jwo.compliance.guard.decisions",
        "category", "face_geometry", "purpose", "checkout_tracking", "outcome", "denied")).isEqualTo(dropped);
  }

  @Test
  void eventsArrivingOutOfOrderWithinTheWindowGiveTheSameReceipts() throws Exception {
    StoreScript script = twoShoppers(StoreScript.smallStore("jitter-001", "US-IL"));
    List<SensorEvent> inOrder = script.events();
    List<SensorEvent> jittered = jitter(inOrder, new Random(3), 600);
    assertThat(jittered).isNotEqualTo(inOrder);

    Run ordered = run(script.layout(), inOrder);
    Run shuffled = run(script.layout(), jittered);

    assertExact(ordered, script);
    assertThat(shuffled.stats.rejectedTotal()).isZero();
    assertThat(records(shuffled)).isEqualTo(records(ordered));
  }

  private static StoreScript twoShoppers(StoreLayout layout) {
    StoreScript script = new StoreScript(layout, START, 21);
    script.shopper("c-ann", 0).take("A1-2", 1).take("A1-4", 1);
    script.shopper("c-ben", 15_000).take("A1-5", 2);
    return script;
  }

  private static void assertExact(Run run, StoreScript script) {
    Map<Credential, Receipt> byCredential =
        run.receipts.stream().collect(Collectors.toMap(Receipt::credential, r -> r));
    assertThat(byCredential).hasSameSizeAs(script.expectedItems());
    script.expectedItems().forEach((credential, items) -> {
      Receipt receipt = byCredential.get(credential);
      assertThat(receipt.status()).as("%s held because %s", credential, receipt.reasons())
          .isEqualTo(ReceiptStatus.CHARGED);
      assertThat(receipt.toRecord().items()).as("items of %s", credential).isEqualTo(items);
    });
    assertThat(run.stats.handlerErrors()).isZero();
  }

  private static List<ReceiptRecord> records(Run run) {
    return run.receipts.stream().map(Receipt::toRecord)
        .sorted(Comparator.comparing(ReceiptRecord::credential)).toList();
  }

  record Run(List<Receipt> receipts, MeterRegistry registry, PipelineStats stats) {}

  private static Run run(StoreLayout layout, List<SensorEvent> events) throws InterruptedException {
    Injector injector = Guice.createInjector(StoreModules.forStore(layout));
    StorePipeline pipeline = injector.getInstance(StorePipeline.class);
    for (SensorEvent event : events) {
      assertThat(pipeline.submit(event)).as("rejection of %s", event).isEmpty();
    }
    pipeline.finish();
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    assertThat(payments.awaitIdle(Duration.ofSeconds(30))).isTrue();
    payments.close();
    return new Run(injector.getInstance(ReceiptBook.class).all(), injector.getInstance(MeterRegistry.class),
        pipeline.stats());
  }

  /** Each event arrives up to {@code maxDelayMillis} after its event time. */
  private static List<SensorEvent> jitter(List<SensorEvent> events, Random random, int maxDelayMillis) {
    List<long[]> arrivals = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      arrivals.add(new long[] {events.get(i).ts() + random.nextInt(maxDelayMillis), i});
    }
    arrivals.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
    return arrivals.stream().map(a -> events.get((int) a[1])).toList();
  }

  private static StoreLayout withCameraFeatures(StoreLayout layout, FeatureKind kind) {
    List<Camera> cameras = layout.cameras().stream().map(c -> new Camera(c.id(), c.position(), kind)).toList();
    return new StoreLayout(layout.storeId(), layout.jurisdiction(), layout.currency(), layout.floor(),
        layout.gates(), layout.products(), layout.bins(), cameras);
  }

  /** Frames whose people carry a face embedding. */
  private static SensorEvent withFaces(SensorEvent event) {
    if (!(event instanceof FrameEvent frame)) {
      return event;
    }
    List<PersonObservation> people = frame.people().stream()
        .map(p -> new PersonObservation(p.position(), p.hands(),
            FeatureVector.of(0.5, p.position().x() / 10, p.position().y() / 10, 0.25)))
        .toList();
    return new FrameEvent(frame.ts(), frame.camera(), people);
  }

  private static double count(MeterRegistry registry, String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }
}
