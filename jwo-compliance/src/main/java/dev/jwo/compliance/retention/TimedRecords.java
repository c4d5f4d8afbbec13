package dev.jwo.compliance.retention;

import dev.jwo.compliance.DataCategory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Records a part of the store keeps for a fixed time after each was made (incidents, verified ages), deleted on that
 * schedule in the store's event time, each deletion recorded in the audit chain ({@code RECORDS_DELETED}) under the
 * person the records name. The payments module's schedule runs them (see {@code VisitPayments} in jwo-payments). Bind
 * each with {@code Multibinder.newSetBinder(binder(), TimedRecords.class).addBinding()}.
 */
public interface TimedRecords {
  /** Where the records are kept, for the audit record (e.g. "table incidents"). */
  String where();

  /** The category of personal data the records hold. */
  DataCategory category();

  /** How long after it was made a record is kept. */
  Duration keptFor();

  /**
   * Deletes the records made before event time {@code ts}, except those naming a person {@code held} (a legal hold
   * covers them). Idempotent.
   *
   * @return how many records were deleted, by the keyed subject they named ("" for records that name nobody)
   * @throws dev.jwo.core.storage.StorageException if the storage fails; the deletion is retried at the next sweep
   */
  Map<String, Integer> deleteBefore(long ts, Predicate<String> held);

  /**
   * Deletes, at the person's request, the records that name {@code subject} or one of {@code visits} (the visits
   * known to be theirs); a record deleted so is not made again from input replayed later. Idempotent.
   *
   * @return how many records were deleted
   * @throws dev.jwo.core.storage.StorageException if the storage fails
   */
  int deleteAbout(String subject, Set<String> visits);
}
