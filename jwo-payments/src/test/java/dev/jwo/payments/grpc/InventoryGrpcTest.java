package dev.jwo.payments.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.Injector;
import com.google.inject.util.Modules;
import dev.jwo.core.BinId;
import dev.jwo.core.security.Role;
import dev.jwo.payments.PaymentsTestStore;
import dev.jwo.payments.TestLayouts;
import dev.jwo.payments.inventory.InventoryBook;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.BinStock;
import dev.jwo.payments.v1.GetInventoryRequest;
import dev.jwo.payments.v1.InventoryEvent;
import dev.jwo.payments.v1.InventoryServiceGrpc;
import dev.jwo.payments.v1.RestockRequest;
import dev.jwo.payments.v1.WatchInventoryRequest;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live inventory as the payments module wires it, served in-process (bin A1-1 starts with 20 waters). */
class InventoryGrpcTest {
  static final long T = 1_764_410_400_000L;
  static final BinId BIN = BinId.of("A1-1");

  private final PaymentsTestStore store = new PaymentsTestStore(TestLayouts.store(), Modules.EMPTY_MODULE);
  private Injector injector;
  private InventoryServiceGrpc.InventoryServiceBlockingStub staff;
  private InventoryServiceGrpc.InventoryServiceBlockingStub admin;

  @BeforeEach
  void start() {
    store.start();
    stubs();
  }

  private void serve() {
    store.restart();
    stubs();
  }

  private void stubs() {
    injector = store.injector();
    staff = InventoryServiceGrpc.newBlockingStub(store.as(Role.STAFF));
    admin = InventoryServiceGrpc.newBlockingStub(store.as(Role.STORE_ADMIN));
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void takesPutBacksAndRestocksMoveTheBinWithPlanogramErrorsAndLowStockAlertsLive() throws Exception {
    InventoryBook book = injector.getInstance(InventoryBook.class);
    try (Context.CancellableContext context = Context.current().withCancellation()) {
      Iterator<InventoryEvent> live = context.call(() -> staff.watchInventory(WatchInventoryRequest.newBuilder()
          .setFollow(true).build()));
      InventoryEvent initial = live.next();
      book.shelfChanged(BIN, TestLayouts.WATER, -18, T + 1_000);
      InventoryEvent taken = live.next();
      InventoryEvent low = live.next();
      book.shelfChanged(BIN, TestLayouts.JUICE, 1, T + 2_000);
      InventoryEvent putBack = live.next();
      InventoryEvent planogram = live.next();
      BinStock restocked = staff.restock(RestockRequest.newBuilder().setBinId(BIN.value()).setUnits(10).build());
      InventoryEvent restock = live.next();

      assertThat(initial.getKind()).isEqualTo(InventoryEvent.Kind.STOCK);
      assertThat(initial.getBin().getUnits()).isEqualTo(20);
      assertThat(taken.getKind()).isEqualTo(InventoryEvent.Kind.CHANGED);
      assertThat(taken.getBin().getUnits()).isEqualTo(2);
      assertThat(low.getKind()).isEqualTo(InventoryEvent.Kind.LOW_STOCK);
      assertThat(low.getDescription()).contains("down to 2");
      assertThat(putBack.getBin().getMisplacedMap()).containsEntry(TestLayouts.JUICE.value(), 1);
      assertThat(planogram.getKind()).isEqualTo(InventoryEvent.Kind.PLANOGRAM_ERROR);
      assertThat(planogram.getSku()).isEqualTo(TestLayouts.JUICE.value());
      assertThat(planogram.getBin().getBinId()).isEqualTo(BIN.value());
      assertThat(restocked.getUnits()).isEqualTo(12);
      assertThat(restocked.getLow()).isFalse();
      assertThat(restock.getKind()).isEqualTo(InventoryEvent.Kind.RESTOCKED);
    }
    MeterRegistry registry = injector.getInstance(MeterRegistry.class);
    assertThat(registry.get("jwo.inventory.planogram.errors").counter().count()).isEqualTo(1);
    assertThat(registry.get("jwo.inventory.low.stock").counter().count()).isEqualTo(1);
  }

  @Test
  void theInventorySurvivesARestartAndReplayedChangesAreNotCountedTwice() {
    injector.getInstance(InventoryBook.class).shelfChanged(BIN, TestLayouts.WATER, -3, T + 1_000);

    serve();
    injector.getInstance(InventoryBook.class).shelfChanged(BIN, TestLayouts.WATER, -3, T + 1_000);
    injector.getInstance(InventoryBook.class).shelfChanged(BIN, TestLayouts.WATER, -1, T + 5_000);

    assertThat(admin.getInventory(GetInventoryRequest.getDefaultInstance()).getBinsList()).singleElement()
        .satisfies(b -> {
          assertThat(b.getUnits()).isEqualTo(16);
          assertThat(b.getUpdatedTsMs()).isEqualTo(T + 5_000);
        });
    assertThat(admin.getInventory(GetInventoryRequest.newBuilder().setLowOnly(true).build()).getBinsCount())
        .isZero();
  }

  @Test
  void badRestocksAndUnknownBinsAreRefused() {
    StatusRuntimeException noUnits = catchThrowableOfType(StatusRuntimeException.class,
        () -> staff.restock(RestockRequest.newBuilder().setBinId(BIN.value()).build()));
    StatusRuntimeException unknownBin = catchThrowableOfType(StatusRuntimeException.class,
        () -> staff.restock(RestockRequest.newBuilder().setBinId("Z9-9").setUnits(1).build()));
    StatusRuntimeException unknownProduct = catchThrowableOfType(StatusRuntimeException.class,
        () -> staff.restock(RestockRequest.newBuilder().setBinId(BIN.value()).setSku("nope").setUnits(1).build()));
    StatusRuntimeException adminRestock = catchThrowableOfType(StatusRuntimeException.class,
        () -> admin.restock(RestockRequest.newBuilder().setBinId(BIN.value()).setUnits(1).build()));
    StatusRuntimeException getUnknown = catchThrowableOfType(StatusRuntimeException.class,
        () -> staff.getInventory(GetInventoryRequest.newBuilder().setBinId("Z9-9").build()));

    assertThat(noUnits.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(unknownBin.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
    assertThat(unknownProduct.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
    assertThat(adminRestock.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(getUnknown.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
  }
}
