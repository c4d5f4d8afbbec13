package dev.jwo.cart.grpc;

import dev.jwo.cart.ledger.Cart;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.v1.GetCartRequest;
import dev.jwo.cart.v1.WatchCartRequest;
import dev.jwo.cart.v1.CartServiceGrpc;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.compliance.export.ExportGuard;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.EnumSet;

/**
 * Serves carts: the current one, and a live watch that pushes every change to a shopper's app. A cart is the
 * party's purchases, so each answer passes the export guard first by {@link ExportChannels#SHOPPER_APP} about the
 * person who admitted the party (recorded as a disclosure); a refusal is {@code PERMISSION_DENIED} with the guard's
 * reason and audit record.
 */
@Singleton
public final class CartGrpcService extends CartServiceGrpc.CartServiceImplBase {
  private final CartLedger ledger;
  private final CartWatchers watchers;
  private final ExportGuard exports;
  private final Clock clock;

  @Inject
  public CartGrpcService(CartLedger ledger, CartWatchers watchers, ExportGuard exports, Clock clock) {
    this.ledger = ledger;
    this.watchers = watchers;
    this.exports = exports;
    this.clock = clock;
  }

  @Override
  public void getCart(GetCartRequest request, StreamObserver<dev.jwo.cart.v1.Cart> response) {
    VisitId visit = visitId(request.getVisitId());
    Cart cart = ledger.cart(visit).orElseThrow(() -> notFound(visit));
    guard(visit, visit + "/cart/" + cart.version());
    response.onNext(CartProtos.toProto(cart, watchers.isSettled(visit)));
    response.onCompleted();
  }

  /**
   * Watches a cart. The export guard is asked once, when the watch starts (reference {@code <visit>/cart-watch}):
   * the one disclosure covers every cart the stream then sends; a store that later withdraws the channel stops
   * new watches, not the ones already open.
   */
  @Override
  public void watchCart(WatchCartRequest request, StreamObserver<dev.jwo.cart.v1.Cart> response) {
    VisitId visit = visitId(request.getVisitId());
    if (!watchers.isKnown(visit)) {
      throw notFound(visit);
    }
    guard(visit, visit + "/cart-watch");
    watchers.watch(visit, (ServerCallStreamObserver<dev.jwo.cart.v1.Cart>) response);
  }

  /** Asks the export guard to let {@code visit}'s cart out to its party's app. */
  private void guard(VisitId visit, String reference) {
    Credential party = watchers.party(visit).orElseThrow(() -> notFound(visit));
    exports.requireForCall(ExportChannels.SHOPPER_APP, EnumSet.of(DataCategory.PURCHASE), party, reference,
        clock.millis());
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
