/** Restricted items: verified ages, staff checks, and receipts that wait for them. */
@NullMarked
package dev.jwo.payments.restricted;

import org.jspecify.annotations.NullMarked;
