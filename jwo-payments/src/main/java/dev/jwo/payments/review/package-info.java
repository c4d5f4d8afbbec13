/**
 * The review desk: durable cases for receipts held for review and contested lines, leases, line-by-line
 * resolution, and the dispute policy that refunds small amounts at once.
 */
@NullMarked
package dev.jwo.payments.review;

import org.jspecify.annotations.NullMarked;
