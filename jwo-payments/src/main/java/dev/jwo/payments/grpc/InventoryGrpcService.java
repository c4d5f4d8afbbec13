package dev.jwo.payments.grpc;

import dev.jwo.core.BinId;
import dev.jwo.core.Sku;
import dev.jwo.payments.inventory.InventoryBook;
import dev.jwo.payments.v1.BinStock;
import dev.jwo.payments.v1.GetInventoryRequest;
import dev.jwo.payments.v1.Inventory;
import dev.jwo.payments.v1.InventoryEvent;
import dev.jwo.payments.v1.InventoryServiceGrpc;
import dev.jwo.payments.v1.RestockRequest;
import dev.jwo.payments.v1.WatchInventoryRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Serves the {@link InventoryBook}: stock by bin, a live stream of its changes and alerts, and staff restocks. */
@Singleton
public final class InventoryGrpcService extends InventoryServiceGrpc.InventoryServiceImplBase {
  private final InventoryBook inventory;

  @Inject
  public InventoryGrpcService(InventoryBook inventory) {
    this.inventory = inventory;
  }

  @Override
  public void getInventory(GetInventoryRequest request, StreamObserver<Inventory> response) {
    Inventory.Builder b = Inventory.newBuilder();
    if (!request.getBinId().isEmpty()) {
      b.addBins(inventory.stock(BinId.of(request.getBinId())).orElseThrow(() -> Status.NOT_FOUND
          .withDescription("bin " + request.getBinId() + " is not in the store's layout").asRuntimeException()));
    } else {
      inventory.all().stream().filter(s -> !request.getLowOnly() || s.getLow()).forEach(b::addBins);
    }
    response.onNext(b.build());
    response.onCompleted();
  }

  @Override
  public void watchInventory(WatchInventoryRequest request, StreamObserver<InventoryEvent> response) {
    LiveFeed<InventoryEvent> feed = new LiveFeed<>(response, IncidentGrpcService.BACKLOG_LIMIT, "call again");
    if (!request.getFollow()) {
      Runnable cancel = inventory.subscribe(feed::offer);
      cancel.run();
      feed.complete();
      return;
    }
    Runnable cancel = inventory.subscribe(feed::offer);
    feed.onCancel(cancel);
    if (feed.isCancelled()) {
      cancel.run();
    }
  }

  @Override
  public void restock(RestockRequest request, StreamObserver<BinStock> response) {
    if (request.getBinId().isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("bin_id is required").asRuntimeException();
    }
    if (request.getUnits() < 1 || request.getUnits() > 10_000) {
      throw Status.INVALID_ARGUMENT.withDescription("units must be between 1 and 10000, was " + request.getUnits())
          .asRuntimeException();
    }
    try {
      response.onNext(inventory.restock(BinId.of(request.getBinId()),
          request.getSku().isEmpty() ? null : Sku.of(request.getSku()), request.getUnits()));
    } catch (IllegalArgumentException e) {
      throw Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
    }
    response.onCompleted();
  }
}
