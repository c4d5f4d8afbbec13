/** Receipts rendered for people and programs: JSON, plain text and HTML. */
@NullMarked
package dev.jwo.payments.render;

import org.jspecify.annotations.NullMarked;
