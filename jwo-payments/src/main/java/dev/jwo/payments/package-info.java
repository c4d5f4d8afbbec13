/**
 * Payments: the {@link dev.jwo.payments.PaymentProvider} SPI a retailer implements for its processor,
 * pre-authorization at entry and capture at exit with idempotency keys, and receipts.
 */
@NullMarked
package dev.jwo.payments;

import org.jspecify.annotations.NullMarked;
