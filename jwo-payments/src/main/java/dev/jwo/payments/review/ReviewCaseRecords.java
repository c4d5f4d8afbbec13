package dev.jwo.payments.review;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StoreStorage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * A visit's review case (table {@value ReviewDesk#TABLE}: its lines, the evidence naming tracks and shelf events,
 * reviewers and their notes) is one of its {@link VisitRecords}: deleted with the visit's payment records, once
 * disputes are no longer taken under the card networks' windows.
 */
@Singleton
public final class ReviewCaseRecords implements VisitRecords {
  private final KeyedTable cases;

  @Inject
  public ReviewCaseRecords(StoreStorage storage) {
    this.cases = storage.table(ReviewDesk.TABLE);
  }

  @Override
  public String where() {
    return "review case (table " + ReviewDesk.TABLE + ")";
  }

  @Override
  public DataCategory category() {
    return DataCategory.LOCATION_TRACK;
  }

  @Override
  public int delete(String visit) {
    return cases.delete(visit) ? 1 : 0;
  }
}
