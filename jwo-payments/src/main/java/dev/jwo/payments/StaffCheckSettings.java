package dev.jwo.payments;

/**
 * How staff checks of restricted items weigh on receipts. Bound with {@code OptionalBinder} (default
 * {@link #DEFAULTS}).
 *
 * @param receiptsWait whether a charged receipt waits for its visit's staff check to be resolved; a replay of a
 *     recorded log, with no staff on the floor, uses {@link #RECORDED}: checks are still raised and counted, and
 *     receipts are settled as decided
 */
public record StaffCheckSettings(boolean receiptsWait) {
  /** A live store: receipts wait for staff. */
  public static final StaffCheckSettings DEFAULTS = new StaffCheckSettings(true);
  /** A recorded log replayed: nobody is there to check, so receipts do not wait. */
  public static final StaffCheckSettings RECORDED = new StaffCheckSettings(false);
}
