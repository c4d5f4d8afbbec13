package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.jwo.core.Credential;
import dev.jwo.core.Product;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.incident.IncidentLog;
import dev.jwo.payments.inventory.InventoryBook;
import dev.jwo.payments.restricted.RestrictedItems;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.BinStock;
import dev.jwo.payments.v1.Incident;
import dev.jwo.payments.v1.IncidentKind;
import dev.jwo.payments.v1.StaffCheck;
import dev.jwo.testing.scenario.StoreScript;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The store operations fed by the pipeline in a complete store: a person walking in behind a party without a scan
 * is a tailgating incident, and walking out again with what they took an unpaid exit without a credential; taking an age-restricted product without a verified age raises a staff check and the
 * receipt waits for it, and every take moves the live inventory.
 */
class StoreOperationsWiringTest {
  static final long START = 1_764_410_400_000L;
  static final Sku CRISPS = Sku.of("0004");

  @Test
  void tailgatingRestrictedItemsAndInventoryFollowWhatHappensInTheStore() throws Exception {
    StoreLayout base = StoreScript.smallStore("ops-001", "US-IL");
    List<Product> products = base.products().stream().map(p -> p.sku().equals(CRISPS)
        ? new Product(p.sku(), p.name(), p.price(), p.unitWeightGrams(), p.weightSdGrams(), true) : p).toList();
    StoreLayout layout = new StoreLayout(base.storeId(), base.jurisdiction(), base.currency(), base.floor(),
        base.gates(), products, base.bins(), base.cameras());
    StoreScript script = new StoreScript(layout, START, 21);
    script.shopper("c-ann", 0).take("A1-2", 1).take("A1-4", 1);
    script.shopper("c-ben", 30_000).take("A1-5", 2);
    script.shopper("c-tail", 32_000).admittedElsewhere().take("A1-1", 1);

    Injector injector = Guice.createInjector(StoreModules.forStore(layout));
    StorePipeline pipeline = injector.getInstance(StorePipeline.class);
    for (SensorEvent event : script.events()) {
      assertThat(pipeline.submit(event)).as("rejection of %s", event).isEmpty();
    }
    pipeline.finish();
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    assertThat(payments.awaitIdle(Duration.ofSeconds(30))).isTrue();

    String ann = Admission.visitIdFor(dev.jwo.core.GateId.of("in-1"), START).value();
    RestrictedItems restricted = injector.getInstance(RestrictedItems.class);
    ReceiptBook receipts = injector.getInstance(ReceiptBook.class);
    List<Incident> incidents = injector.getInstance(IncidentLog.class).all();
    Map<String, Integer> units = injector.getInstance(InventoryBook.class).all().stream()
        .collect(Collectors.toMap(BinStock::getBinId, BinStock::getUnits));
    Optional<StaffCheck> check = restricted.get(dev.jwo.core.VisitId.of(ann));

    assertThat(incidents).as("incidents %s", incidents).hasSize(2);
    Incident tailgating = incidents.get(0);
    assertThat(tailgating.getKind()).isEqualTo(IncidentKind.TAILGATING);
    assertThat(tailgating.getGateId()).isEqualTo("in-1");
    assertThat(tailgating.getVisitId())
        .isEqualTo(Admission.visitIdFor(dev.jwo.core.GateId.of("in-1"), START + 30_000).value());
    assertThat(incidents.get(1)).satisfies(i -> {
      assertThat(i.getKind()).as("the tailgater walked out with a product").isEqualTo(IncidentKind.UNPAID_EXIT);
      assertThat(i.getIncidentId()).startsWith("unpaid-exit/no-credential/");
      assertThat(i.getVisitId()).isEmpty();
      assertThat(i.getDescription()).contains("no credential").contains(tailgating.getIncidentId());
    });
    assertThat(check).hasValueSatisfying(c -> {
      assertThat(c.getState()).isEqualTo(StaffCheck.State.PENDING);
      assertThat(c.getItemsList()).singleElement().satisfies(l -> assertThat(l.getSku()).isEqualTo("0004"));
      assertThat(c.getReceiptWaiting()).isTrue();
    });
    assertThat(receipts.receipt(dev.jwo.core.VisitId.of(ann))).as("ann's receipt waits for staff").isEmpty();
    assertThat(units).containsEntry("A1-2", 19).containsEntry("A1-4", 19)
        .containsEntry("A1-5", 18);

    restricted.resolve(dev.jwo.core.VisitId.of(ann), true, "staff/sam", "ID checked");
    assertThat(payments.awaitIdle(Duration.ofSeconds(30))).isTrue();
    Receipt charged = receipts.receipt(dev.jwo.core.VisitId.of(ann)).orElseThrow();
    assertThat(charged.status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(charged.items()).extracting(LineItem::sku).containsExactly(Sku.of("0002"), CRISPS);
    payments.close();
  }

  @Test
  void anExitMatchedToNobodyEndsNoVisitAndIsReported() throws Exception {
    StoreLayout layout = StoreScript.smallStore("ops-002", "US-IL");
    StoreScript script = new StoreScript(layout, START, 21);
    script.shopper("c-ann", 0).take("A1-2", 1).take("A1-3", 1);
    List<SensorEvent> events = new java.util.ArrayList<>(script.events());
    long annLeft = events.stream().filter(e -> e instanceof dev.jwo.core.event.ExitEvent).mapToLong(SensorEvent::ts)
        .max().orElseThrow();
    // An exit pass while Ann is at the shelves, metres from the exit, with nobody near it (a sensor's false count,
    // or somebody the cameras never saw).
    long stray = START + 5_000;
    events.add(new dev.jwo.core.event.ExitEvent(stray, dev.jwo.core.GateId.of("out-1")));
    events.sort(java.util.Comparator.comparingLong(SensorEvent::ts));

    Injector injector = Guice.createInjector(StoreModules.forStore(layout));
    StorePipeline pipeline = injector.getInstance(StorePipeline.class);
    for (SensorEvent event : events) {
      assertThat(pipeline.submit(event)).as("rejection of %s", event).isEmpty();
    }
    pipeline.finish();
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    assertThat(payments.awaitIdle(Duration.ofSeconds(30))).isTrue();

    Receipt ann = injector.getInstance(ReceiptBook.class)
        .receipt(Admission.visitIdFor(dev.jwo.core.GateId.of("in-1"), START)).orElseThrow();
    assertThat(ann.exitTs()).as("Ann's visit ends on her own exit").isEqualTo(annLeft);
    assertThat(ann.status()).as("charged unchecked: %s", ann).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(ann.items()).extracting(LineItem::sku).containsExactly(Sku.of("0002"), Sku.of("0003"));
    assertThat(injector.getInstance(IncidentLog.class).all()).singleElement().satisfies(i -> {
      assertThat(i.getKind()).isEqualTo(IncidentKind.UNMATCHED_EXIT);
      assertThat(i.getTsMs()).isEqualTo(stray);
      assertThat(i.getGateId()).isEqualTo("out-1");
      assertThat(i.getVisitId()).isEmpty();
      assertThat(i.getDescription()).contains("no visit was ended or charged");
    });
    payments.close();
  }
}
