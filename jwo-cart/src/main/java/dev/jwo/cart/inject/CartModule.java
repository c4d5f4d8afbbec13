package dev.jwo.cart.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.jwo.cart.DecisionTrace;
import dev.jwo.cart.ShelfStockListener;
import dev.jwo.cart.PickAttributor;
import dev.jwo.cart.ProductResolver;
import dev.jwo.cart.ShelfEventDetector;
import dev.jwo.cart.checkout.CheckoutSettings;
import dev.jwo.cart.checkout.CheckoutStage;
import dev.jwo.cart.grpc.CartGrpcService;
import dev.jwo.cart.grpc.CartPermissions;
import dev.jwo.cart.grpc.CartWatchers;
import dev.jwo.cart.grpc.SessionGrpcService;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.ledger.CartSubjectRecords;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.compliance.subject.SubjectRecords;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.shelf.AttributionSettings;
import dev.jwo.cart.shelf.HandEvidenceAttributor;
import dev.jwo.cart.shelf.SettlingShelfDetector;
import dev.jwo.cart.shelf.ShelfSettings;
import dev.jwo.cart.shelf.ShelfStage;
import dev.jwo.cart.shelf.WeightProductResolver;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.visit.PartyMovements;
import dev.jwo.core.visit.IdentityTrace;
import dev.jwo.core.visit.VisitListener;

/**
 * Wires sessions, shelves, carts and checkout into the pipeline, and serves the session and cart services.
 * Defaults: {@link SettlingShelfDetector}, {@link WeightProductResolver}, {@link HandEvidenceAttributor} with
 * {@link ShelfSettings#DEFAULTS}, {@link AttributionSettings#DEFAULTS} and {@link CheckoutSettings#DEFAULTS}, and
 * no {@link DecisionTrace}; replace any with {@code OptionalBinder}.
 * Needs a {@code VisitSettlement} (payments) and a {@code ShopperLocator} (vision).
 */
public final class CartModule extends AbstractModule {

  /** Listeners told when visits start and end; add yours with {@code visitListeners(binder()).addBinding()}. */
  public static Multibinder<VisitListener> visitListeners(Binder binder) {
    return Multibinder.newSetBinder(binder, VisitListener.class);
  }

  /** Listeners told of every change to a bin's contents (none by default); add with {@code addBinding()}. */
  public static Multibinder<ShelfStockListener> shelfStockListeners(Binder binder) {
    return Multibinder.newSetBinder(binder, ShelfStockListener.class);
  }

  /**
   * A module that sends every decision to {@code trace} instead of the default (none); a trace that is also an
   * {@link IdentityTrace} is told of every change of a track's visit too.
   */
  public static Module tracingTo(DecisionTrace trace) {
    return binder -> {
      OptionalBinder.newOptionalBinder(binder, DecisionTrace.class).setBinding().toInstance(trace);
      if (trace instanceof IdentityTrace identity) {
        OptionalBinder.newOptionalBinder(binder, IdentityTrace.class).setBinding().toInstance(identity);
      }
    };
  }

  @Override
  protected void configure() {
    Multibinder.newSetBinder(binder(), SubjectRecords.class).addBinding().to(CartSubjectRecords.class);
    // A visit's cart ledger (bins and times) is deleted with the visit's payment records.
    Multibinder.newSetBinder(binder(), VisitRecords.class).addBinding().to(CartLedger.class);
    OptionalBinder.newOptionalBinder(binder(), ShelfEventDetector.class).setDefault().to(SettlingShelfDetector.class);
    OptionalBinder.newOptionalBinder(binder(), ProductResolver.class).setDefault().to(WeightProductResolver.class);
    OptionalBinder.newOptionalBinder(binder(), PickAttributor.class).setDefault().to(HandEvidenceAttributor.class);
    OptionalBinder.newOptionalBinder(binder(), ShelfSettings.class).setDefault().toInstance(ShelfSettings.DEFAULTS);
    OptionalBinder.newOptionalBinder(binder(), AttributionSettings.class)
        .setDefault()
        .toInstance(AttributionSettings.DEFAULTS);
    OptionalBinder.newOptionalBinder(binder(), DecisionTrace.class).setDefault().toInstance(DecisionTrace.NONE);
    OptionalBinder.newOptionalBinder(binder(), CheckoutSettings.class)
        .setDefault()
        .toInstance(CheckoutSettings.DEFAULTS);
    bind(SettlingShelfDetector.class).in(com.google.inject.Singleton.class);
    bind(PartyMovements.class).to(SessionRegistry.class);
    CoreModule.handlers(binder()).addBinding().to(SessionRegistry.class);
    CoreModule.handlers(binder()).addBinding().to(ShelfStage.class);
    CoreModule.handlers(binder()).addBinding().to(CheckoutStage.class);
    visitListeners(binder()).addBinding().to(CartWatchers.class);
    shelfStockListeners(binder());
    CoreModule.services(binder()).addBinding().to(SessionGrpcService.class);
    CoreModule.services(binder()).addBinding().to(CartGrpcService.class);
  }

  @ProvidesIntoSet
  PermissionTable permissions(SessionRegistry sessions, CartWatchers watchers) {
    return CartPermissions.table(sessions, watchers);
  }
}
