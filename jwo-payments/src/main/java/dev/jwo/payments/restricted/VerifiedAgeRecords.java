package dev.jwo.payments.restricted;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.retention.TimedRecords;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StoreStorage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Verified ages (table {@value RestrictedItems#AGES}, by keyed subject) are kept {@link #KEPT_FOR} after they were
 * verified, then deleted (the shopper's app verifies again); an age kept by an earlier release, which did not record
 * when it was verified, goes at the first sweep.
 */
@Singleton
public final class VerifiedAgeRecords implements TimedRecords {
  /** How long a verified age is kept after it was verified. */
  public static final Duration KEPT_FOR = Duration.ofDays(365);

  private final KeyedTable ages;

  @Inject
  public VerifiedAgeRecords(StoreStorage storage) {
    this.ages = storage.table(RestrictedItems.AGES);
  }

  @Override
  public String where() {
    return "verified age (table " + RestrictedItems.AGES + ")";
  }

  @Override
  public DataCategory category() {
    return DataCategory.PURCHASE;
  }

  @Override
  public Duration keptFor() {
    return KEPT_FOR;
  }

  @Override
  public Map<String, Integer> deleteBefore(long ts, Predicate<String> held) {
    Map<String, Integer> deleted = new TreeMap<>();
    for (KeyedValue row : ages.scan("")) {
      if (VerifiedAge.parse(row.value().value()).verifiedTs() >= ts || held.test(row.key())) {
        continue;
      }
      if (ages.delete(row.key())) {
        deleted.merge(row.key(), 1, Integer::sum);
      }
    }
    return deleted;
  }

  /** Deletes the person's verified age (the shopper's app verifies again at the next restricted item). */
  @Override
  public int deleteAbout(String subject, Set<String> visits) {
    return ages.delete(subject) ? 1 : 0;
  }
}
