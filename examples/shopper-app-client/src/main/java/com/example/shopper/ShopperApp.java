package com.example.shopper;

import dev.jwo.cart.v1.AdmitPartyRequest;
import dev.jwo.cart.v1.Cart;
import dev.jwo.cart.v1.CartLine;
import dev.jwo.cart.v1.CartServiceGrpc;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.cart.v1.WatchCartRequest;
import dev.jwo.payments.v1.ContestReason;
import dev.jwo.payments.v1.ContestReceiptLineRequest;
import dev.jwo.payments.v1.ContestReceiptLineResponse;
import dev.jwo.payments.v1.DisputeServiceGrpc;
import dev.jwo.payments.v1.GetReceiptRequest;
import dev.jwo.payments.v1.ListReceiptVersionsRequest;
import dev.jwo.payments.v1.Receipt;
import dev.jwo.payments.v1.ReceiptLine;
import dev.jwo.payments.v1.ReceiptServiceGrpc;
import io.grpc.Channel;
import dev.jwo.core.security.BearerToken;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a shopper's app does with the store: scan in at the gate (admit the credential for the party), watch the
 * cart change live while shopping until the receipt is final, then read the receipt and contest a line of it. Give
 * it a channel that carries the app's token (a shopper-app token for the shopper's credential, e.g.
 * {@code BearerToken.of(token).on(channel)}).
 */
public final class ShopperApp {
  private final SessionServiceGrpc.SessionServiceBlockingStub sessions;
  private final CartServiceGrpc.CartServiceStub carts;
  private final ReceiptServiceGrpc.ReceiptServiceBlockingStub receipts;
  private final DisputeServiceGrpc.DisputeServiceBlockingStub disputes;

  public ShopperApp(Channel channel) {
    this.sessions = SessionServiceGrpc.newBlockingStub(channel);
    this.carts = CartServiceGrpc.newStub(channel);
    this.receipts = ReceiptServiceGrpc.newBlockingStub(channel);
    this.disputes = DisputeServiceGrpc.newBlockingStub(channel);
  }

  /** The visit's receipt as it is now (fails with NOT_FOUND until the visit is settled). */
  public Receipt receipt(String visitId) {
    return receipts.withDeadlineAfter(5, TimeUnit.SECONDS)
        .getReceipt(GetReceiptRequest.newBuilder().setVisitId(visitId).build());
  }

  /** Every version of the visit's receipt, oldest first. */
  public List<Receipt> receiptVersions(String visitId) {
    return receipts.withDeadlineAfter(5, TimeUnit.SECONDS)
        .listReceiptVersions(ListReceiptVersionsRequest.newBuilder().setVisitId(visitId).build())
        .getVersionsList();
  }

  /**
   * Contests {@code quantity} units of line {@code lineIndex} of the receipt version the shopper is looking at;
   * sending it again (a retry after a lost answer) refunds nothing more.
   */
  public ContestReceiptLineResponse contest(
      Receipt seen, int lineIndex, int quantity, ContestReason reason, String note) {
    return disputes.withDeadlineAfter(30, TimeUnit.SECONDS)
        .contestReceiptLine(ContestReceiptLineRequest.newBuilder()
            .setVisitId(seen.getVisitId())
            .setReceiptVersion(seen.getVersion())
            .setLineIndex(lineIndex)
            .setQuantity(quantity)
            .setReason(reason)
            .setNote(note)
            .build());
  }

  /**
   * What the app shows after the shopper contests {@code quantity} units of line {@code lineIndex} of the visit's
   * receipt as "not taken": the receipt seen, the store's answer, and the receipt as it is now.
   */
  public List<String> contestNotTaken(String visitId, int lineIndex, int quantity, String note) {
    Receipt seen = receipt(visitId);
    ContestReceiptLineResponse answer = contest(seen, lineIndex, quantity, ContestReason.NOT_TAKEN, note);
    return List.of("contested: " + describe(seen),
        String.format(Locale.ROOT, "answer: %s (dispute %s, %s %.2f)", answer.getOutcome(), answer.getDisputeId(),
            answer.getAmount().getCurrency(), answer.getAmount().getMinor() / 100.0),
        "now: " + describe(receipt(visitId)));
  }

  /** The receipt as an app might show it, with its version and why it was amended. */
  public static String describe(Receipt receipt) {
    StringBuilder s = new StringBuilder("receipt v" + receipt.getVersion() + " (" + receipt.getStatus() + "):");
    for (ReceiptLine line : receipt.getLinesList()) {
      s.append(String.format(Locale.ROOT, " %d x %s", line.getQuantity(), line.getSku()));
    }
    s.append(String.format(Locale.ROOT, " = %s %.2f", receipt.getTotal().getCurrency(),
        receipt.getTotal().getMinor() / 100.0));
    if (!receipt.getAmendment().isEmpty()) {
      s.append(" [").append(receipt.getAmendment()).append(']');
    }
    return s.toString();
  }

  /** Admits {@code credential} at {@code gate} for a party of {@code partySize}; returns the visit id. */
  public String admit(String gate, String credential, int partySize) {
    return sessions.withDeadlineAfter(5, TimeUnit.SECONDS)
        .admitParty(AdmitPartyRequest.newBuilder()
            .setGate(gate)
            .setCredential(credential)
            .setPartySize(partySize)
            .build())
        .getVisitId();
  }

  /** A live watch of a cart; {@link #awaitFinal} waits for the final cart, {@link #cancel} stops watching. */
  public static final class CartWatch {
    private final Context.CancellableContext context;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Throwable error;

    CartWatch(Context.CancellableContext context) {
      this.context = context;
    }

    /** Waits until the visit is settled (the final cart arrived) or the watch failed. */
    public boolean awaitFinal(long timeout, TimeUnit unit) throws InterruptedException {
      boolean finished = done.await(timeout, unit);
      if (error != null) {
        throw new IllegalStateException("the cart watch failed: " + error.getMessage(), error);
      }
      return finished;
    }

    public void cancel() {
      context.cancel(null);
    }
  }

  /** Watches the cart of {@code visitId}, telling {@code onChange} of every state the server sends. */
  public CartWatch watch(String visitId, Consumer<Cart> onChange) {
    Context.CancellableContext context = Context.current().withCancellation();
    CartWatch watch = new CartWatch(context);
    context.run(() -> carts.watchCart(WatchCartRequest.newBuilder().setVisitId(visitId).build(),
        new StreamObserver<>() {
          @Override
          public void onNext(Cart cart) {
            onChange.accept(cart);
          }

          @Override
          public void onError(Throwable t) {
            watch.error = t;
            watch.done.countDown();
          }

          @Override
          public void onCompleted() {
            watch.done.countDown();
          }
        }));
    return watch;
  }

  /** One line per cart state, as an app might show it. */
  public static String describe(Cart cart) {
    StringBuilder s = new StringBuilder(cart.getFinal() ? "receipt:" : "cart:");
    for (CartLine line : cart.getLinesList()) {
      s.append(String.format(Locale.ROOT, " %d x %s", line.getQuantity(), line.getName()));
    }
    s.append(String.format(Locale.ROOT, " = %s %.2f", cart.getTotal().getCurrency(), cart.getTotal().getMinor() / 100.0));
    return s.toString();
  }

  /**
   * {@code ShopperApp HOST:PORT GATE CREDENTIAL [PARTY]}: scans in and prints the cart as it changes. The app's
   * token comes from the environment variable {@code JWO_TOKEN} (the store issues it for the credential with
   * {@code jwo token --role shopper-app --subject APP --party CREDENTIAL}); the app speaks TLS except to loopback.
   */
  public static void main(String[] args) throws InterruptedException {
    String token = System.getenv("JWO_TOKEN");
    boolean contesting = args.length >= 4 && args[1].equals("contest");
    if (args.length < 3 || token == null || token.isBlank()) {
      System.err.println("usage: JWO_TOKEN=<shopper-app token> ShopperApp HOST:PORT GATE CREDENTIAL [PARTY_SIZE]");
      System.err.println("       JWO_TOKEN=<shopper-app token> ShopperApp HOST:PORT contest VISIT LINE [QUANTITY]");
      System.exit(2);
    }
    boolean loopback = args[0].startsWith("localhost:") || args[0].startsWith("127.");
    ManagedChannel channel = loopback
        ? ManagedChannelBuilder.forTarget(args[0]).usePlaintext().build()
        : Grpc.newChannelBuilder(args[0], TlsChannelCredentials.create()).build();
    try {
      ShopperApp app = new ShopperApp(BearerToken.of(token).on(channel));
      if (contesting) {
        app.contestNotTaken(args[2], Integer.parseInt(args[3]), args.length > 4 ? Integer.parseInt(args[4]) : 1,
            "contested from the app").forEach(System.out::println);
        return;
      }
      String visit = app.admit(args[1], args[2], args.length > 3 ? Integer.parseInt(args[3]) : 1);
      System.out.println("admitted: visit " + visit);
      app.watch(visit, cart -> System.out.println(describe(cart))).awaitFinal(4, TimeUnit.HOURS);
    } finally {
      channel.shutdownNow();
    }
  }
}
