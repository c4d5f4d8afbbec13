/**
 * Reader and writer of the store-log format, version 1: {@code store.json}, {@code events.jsonl} and
 * {@code receipts.jsonl}. Malformed input fails with the file, the line and what is wrong; unknown fields are
 * ignored.
 */
@NullMarked
package dev.jwo.core.storelog;

import org.jspecify.annotations.NullMarked;
