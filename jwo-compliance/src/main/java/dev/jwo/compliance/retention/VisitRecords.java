package dev.jwo.compliance.retention;

import dev.jwo.compliance.DataCategory;
import java.util.List;

/**
 * Records a part of the store keeps by visit that say more about the person than their payment does (the cart
 * ledger's bins and times, the input journal's sealed credential), deleted on the schedule of the visit's payment
 * records: when its raw credential is erased (see {@code PaymentSettings.credentialRetention} in jwo-payments),
 * under the same legal holds, each deletion recorded in the audit chain. Bind each with
 * {@code Multibinder.newSetBinder(binder(), VisitRecords.class).addBinding()}.
 */
public interface VisitRecords {
  /** Where the records are kept, for the audit record (e.g. "cart ledger (journal stream cart/<visit>)"). */
  String where();

  /** The category of personal data the records hold. */
  DataCategory category();

  /**
   * Deletes the visit's records from storage (idempotent).
   *
   * @return how many records were deleted; 0 if there were none (left)
   * @throws dev.jwo.core.storage.StorageException if the storage fails; the deletion is retried
   */
  int delete(String visit);

  /**
   * Deletes, at the person's request, the visit's records that settling and disputing its payment no longer need
   * (by default all of them, as {@link #delete}); what is still needed stays for the payment records' schedule (the
   * cart ledger, the journal's sealed credential, a case or check still open), and a deletion names it as not
   * reached.
   *
   * @return how many records were deleted
   */
  default int deleteOnRequest(String visit) {
    return delete(visit);
  }

  /**
   * The visits whose records were made for an entry before event time {@code ts}, so that records no payment will
   * ever delete (those of an entry the pipeline rejected) are found and deleted too. By default none are listed.
   */
  default List<Kept> keptBefore(long ts) {
    return List.of();
  }

  /** A visit's records: the visit, the keyed subject they were kept for ("" when unknown), the entry's time. */
  record Kept(String visit, String subject, long entryTs) {}

  /**
   * The records of table {@code table}, one row keyed by visit, holding {@code category}: deleted by deleting that
   * row, at a person's request too unless {@code stillNeeded} says the row's value is (an open case), and described
   * as {@code "<what> (table <name>)"}.
   */
  static VisitRecords rowPerVisit(dev.jwo.core.storage.StoreStorage storage, String table, String what,
      DataCategory category, java.util.function.Predicate<byte[]> stillNeeded) {
    dev.jwo.core.storage.KeyedTable rows = storage.table(table);
    return new VisitRecords() {
      @Override
      public String where() {
        return what + " (table " + table + ")";
      }

      @Override
      public DataCategory category() {
        return category;
      }

      @Override
      public int delete(String visit) {
        return rows.delete(visit) ? 1 : 0;
      }

      @Override
      public int deleteOnRequest(String visit) {
        return rows.get(visit).filter(row -> !stillNeeded.test(row.value())).map(row -> delete(visit)).orElse(0);
      }
    };
  }
}
