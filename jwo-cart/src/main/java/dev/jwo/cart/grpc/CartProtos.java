package dev.jwo.cart.grpc;

import dev.jwo.cart.ledger.Cart;
import dev.jwo.cart.ledger.CartLine;
import dev.jwo.cart.session.Session;
import dev.jwo.core.grpc.SensorEventProtos;

/** Conversions from cart and session values to their {@code jwo.cart.v1} protos. */
final class CartProtos {
  private CartProtos() {}

  static dev.jwo.cart.v1.Cart toProto(Cart cart, boolean isFinal) {
    dev.jwo.cart.v1.Cart.Builder b = dev.jwo.cart.v1.Cart.newBuilder()
        .setVisitId(cart.visitId().value())
        .setTotal(SensorEventProtos.toProto(cart.total()))
        .setVersion(cart.version())
        .setConfident(cart.confident())
        .setFinal(isFinal);
    for (CartLine line : cart.lines()) {
      b.addLines(dev.jwo.cart.v1.CartLine.newBuilder()
          .setSku(line.sku().value())
          .setName(line.name())
          .setQuantity(line.quantity())
          .setUnitPrice(SensorEventProtos.toProto(line.unitPrice()))
          .setAmount(SensorEventProtos.toProto(line.amount())));
    }
    return b.build();
  }

  static dev.jwo.cart.v1.Session toProto(Session session) {
    dev.jwo.cart.v1.Session.Builder b = dev.jwo.cart.v1.Session.newBuilder()
        .setVisitId(session.admission().visitId().value())
        .setState(dev.jwo.cart.v1.Session.State.valueOf(session.state().name()))
        .setPartySize(session.admission().partySize())
        .setMembersSeen(session.membersSeen())
        .setMembersExited(session.membersExited())
        .setEntryTsMs(session.admission().ts())
        .addAllDoubts(session.doubts());
    if (session.exitTs() != null) {
      b.setExitTsMs(session.exitTs());
    }
    return b.build();
  }
}
