/** The store's live per-bin inventory, planogram errors and low-stock alerts. */
@NullMarked
package dev.jwo.payments.inventory;

import org.jspecify.annotations.NullMarked;
