package dev.jwo.payments.restricted;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StoreStorage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * A visit's staff check (table {@value RestrictedItems#CHECKS}: the keyed subject, the restricted items, who resolved
 * it) is one of its {@link VisitRecords}: deleted with the visit's payment records.
 */
@Singleton
public final class StaffCheckRecords implements VisitRecords {
  private final KeyedTable checks;

  @Inject
  public StaffCheckRecords(StoreStorage storage) {
    this.checks = storage.table(RestrictedItems.CHECKS);
  }

  @Override
  public String where() {
    return "staff check (table " + RestrictedItems.CHECKS + ")";
  }

  @Override
  public DataCategory category() {
    return DataCategory.PURCHASE;
  }

  @Override
  public int delete(String visit) {
    return checks.delete(visit) ? 1 : 0;
  }
}
