package dev.jwo.payments.inject;

import com.google.inject.AbstractModule;
import dev.jwo.compliance.keys.Subjects;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.jwo.compliance.retention.TimedRecords;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.compliance.DataCategory;
import dev.jwo.core.storage.StoreStorage;
import com.google.inject.Singleton;
import dev.jwo.payments.v1.StaffCheck;
import dev.jwo.payments.v1.StoredReviewCase;
import dev.jwo.payments.restricted.VerifiedAgeRecords;
import dev.jwo.compliance.subject.SubjectRecords;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.visit.VisitSettlement;
import dev.jwo.payments.OfflineEntryPolicy;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.core.visit.AdmissionHold;
import dev.jwo.payments.PaymentScheduler;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.TaxTable;
import dev.jwo.payments.grpc.DisputeGrpcService;
import dev.jwo.payments.grpc.IncidentGrpcService;
import dev.jwo.payments.grpc.InventoryGrpcService;
import dev.jwo.payments.grpc.RestrictedItemGrpcService;
import dev.jwo.payments.restricted.RestrictedItems;
import dev.jwo.payments.RestrictionRules;
import dev.jwo.payments.StaffCheckSettings;
import dev.jwo.core.visit.VisitListener;
import dev.jwo.payments.incident.IncidentLog;
import dev.jwo.payments.grpc.ReceiptGrpcService;
import dev.jwo.payments.grpc.ReceiptPermissions;
import dev.jwo.payments.grpc.ReviewGrpcService;
import dev.jwo.payments.review.DisputePolicy;
import dev.jwo.payments.review.ReviewDesk;
import dev.jwo.payments.settlement.ExecutorPaymentScheduler;
import dev.jwo.payments.settlement.PaymentSubjectRecords;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.simulated.SimulatedCardProcessor;

/**
 * Wires payments: pre-authorization at entry, capture at checkout, receipts, and the receipt service. The default
 * provider is the {@link SimulatedCardProcessor}; a retailer binds its own with
 * {@code OptionalBinder.newOptionalBinder(binder(), PaymentProvider.class).setBinding().to(MyProcessor.class)}.
 * The store's sales tax is a {@link TaxTable} (default: none), and its restricted items {@link RestrictionRules}, bound
 * the same way, or read as data from the store's settings file ({@link dev.jwo.payments.StoreTables}).
 */
public final class PaymentsModule extends AbstractModule {
  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), PaymentProvider.class).setDefault().to(SimulatedCardProcessor.class);
    OptionalBinder.newOptionalBinder(binder(), PaymentSettings.class).setDefault().toInstance(PaymentSettings.DEFAULTS);
    OptionalBinder.newOptionalBinder(binder(), TaxTable.class).setDefault().toInstance(TaxTable.NONE);
    OptionalBinder.newOptionalBinder(binder(), PaymentScheduler.class).setDefault()
        .to(ExecutorPaymentScheduler.class);
    bind(VisitSettlement.class).to(RestrictedItems.class);
    OptionalBinder.newOptionalBinder(binder(), RestrictionRules.class).setDefault()
        .toInstance(RestrictionRules.DEFAULTS);
    OptionalBinder.newOptionalBinder(binder(), StaffCheckSettings.class).setDefault()
        .toInstance(StaffCheckSettings.DEFAULTS);
    Multibinder.newSetBinder(binder(), VisitListener.class).addBinding().to(RestrictedItems.class);
    CoreModule.services(binder()).addBinding().to(RestrictedItemGrpcService.class);
    CoreModule.services(binder()).addBinding().to(InventoryGrpcService.class);
    CoreModule.handlers(binder()).addBinding().to(VisitPayments.class);
    OptionalBinder.newOptionalBinder(binder(), OfflineEntryPolicy.class).setDefault()
        .toInstance(OfflineEntryPolicy.NEVER);
    OptionalBinder.newOptionalBinder(binder(), AdmissionHold.class).setBinding().to(VisitPayments.class);
    CoreModule.services(binder()).addBinding().to(ReceiptGrpcService.class);
    CoreModule.services(binder()).addBinding().to(ReviewGrpcService.class);
    CoreModule.services(binder()).addBinding().to(DisputeGrpcService.class);
    OptionalBinder.newOptionalBinder(binder(), DisputePolicy.class).setDefault().toInstance(DisputePolicy.DEFAULTS);
    bind(ReviewDesk.class).asEagerSingleton();
    CoreModule.services(binder()).addBinding().to(IncidentGrpcService.class);
    bind(IncidentLog.class).asEagerSingleton();
    Multibinder.newSetBinder(binder(), SubjectRecords.class).addBinding().to(PaymentSubjectRecords.class);
    // What other modules keep by visit, deleted with the visit's credential (the cart ledger, the journal's key;
    // this module's staff checks and review cases below).
    Multibinder.newSetBinder(binder(), VisitRecords.class);
    // What is kept for a fixed time after it was made, deleted on the same schedule.
    Multibinder<TimedRecords> timedRecords = Multibinder.newSetBinder(binder(), TimedRecords.class);
    timedRecords.addBinding().to(IncidentLog.class);
    timedRecords.addBinding().to(VerifiedAgeRecords.class);
  }

  /**
   * A visit's staff check (the keyed subject, the restricted items, who resolved it) is one of its
   * {@link VisitRecords}: deleted with the visit's payment records, or at the person's request once resolved.
   */
  @ProvidesIntoSet
  @Singleton
  VisitRecords staffChecks(StoreStorage storage) {
    return VisitRecords.rowPerVisit(storage, RestrictedItems.CHECKS, "staff check", DataCategory.PURCHASE,
        row -> parsed(() -> StaffCheck.parseFrom(row)).getState() == StaffCheck.State.PENDING);
  }

  /**
   * A visit's review case (its lines, the evidence naming tracks and shelf events, reviewers and their notes) is one
   * of its {@link VisitRecords}: deleted with the visit's payment records, once disputes are no longer taken under
   * the card networks' windows, or at the person's request once resolved.
   */
  @ProvidesIntoSet
  @Singleton
  VisitRecords reviewCases(StoreStorage storage) {
    return VisitRecords.rowPerVisit(storage, ReviewDesk.TABLE, "review case", DataCategory.LOCATION_TRACK,
        row -> !parsed(() -> StoredReviewCase.parseFrom(row)).getResolved());
  }

  private interface Parse<T> {
    T parse() throws com.google.protobuf.InvalidProtocolBufferException;
  }

  private static <T> T parsed(Parse<T> parse) {
    try {
      return parse.parse();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new dev.jwo.core.storage.StorageException("a stored row cannot be read: " + e.getMessage(), false, e);
    }
  }

  @ProvidesIntoSet
  PermissionTable permissions(ReceiptBook receipts, RestrictedItems items, Subjects subjects) {
    return ReceiptPermissions.table(receipts, items, subjects);
  }
}
