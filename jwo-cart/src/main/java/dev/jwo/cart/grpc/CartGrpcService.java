package dev.jwo.cart.grpc;

import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.v1.GetCartRequest;
import dev.jwo.cart.v1.WatchCartRequest;
import dev.jwo.cart.v1.CartServiceGrpc;
import dev.jwo.core.VisitId;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Serves carts: the current one, and a live watch that pushes every change to a shopper's app. */
@Singleton
public final class CartGrpcService extends CartServiceGrpc.CartServiceImplBase {
  private final CartLedger ledger;
  private final CartWatchers watchers;

  @Inject
  public CartGrpcService(CartLedger ledger, CartWatchers watchers) {
    this.ledger = ledger;
    this.watchers = watchers;
  }

  @Override
  public void getCart(GetCartRequest request, StreamObserver<dev.jwo.cart.v1.Cart> response) {
    VisitId visit = visitId(request.getVisitId());
    response.onNext(CartProtos.toProto(
        ledger.cart(visit).orElseThrow(() -> notFound(visit)), watchers.isSettled(visit)));
    response.onCompleted();
  }

  @Override
  public void watchCart(WatchCartRequest request, StreamObserver<dev.jwo.cart.v1.Cart> response) {
    VisitId visit = visitId(request.getVisitId());
    if (!watchers.isKnown(visit)) {
      throw notFound(visit);
    }
    watchers.watch(visit, (ServerCallStreamObserver<dev.jwo.cart.v1.Cart>) response);
  }

  static VisitId visitId(String value) {
    if (value.isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("visit_id is required").asRuntimeException();
    }
    return VisitId.of(value);
  }

  private static RuntimeException notFound(VisitId visit) {
    return Status.NOT_FOUND
        .withDescription("no cart for visit '" + visit + "' in this store; admit the party first")
        .asRuntimeException();
  }
}
