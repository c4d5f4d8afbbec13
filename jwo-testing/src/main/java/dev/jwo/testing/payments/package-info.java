/** The contract-test kit of {@link dev.jwo.payments.PaymentProvider}, and a recording fake. */
@NullMarked
package dev.jwo.testing.payments;

import org.jspecify.annotations.NullMarked;
