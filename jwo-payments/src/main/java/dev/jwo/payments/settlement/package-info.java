/** The default settlement of visits: hold at entry, capture at checkout, receipts. */
@NullMarked
package dev.jwo.payments.settlement;

import org.jspecify.annotations.NullMarked;
