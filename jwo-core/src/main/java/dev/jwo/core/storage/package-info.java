/**
 * The storage SPI: what must survive a crash. An {@link dev.jwo.core.storage.EventJournal} of append-only
 * streams (input events, cart ledgers, consent records, the audit chain) and a few
 * {@link dev.jwo.core.storage.KeyedTable}s for state that is looked up by key and may be replaced or destroyed
 * (payment state, receipts, per-person keys). Implementations: in memory (tests), embedded (the default, a
 * file-backed database) and PostgreSQL.
 */
@NullMarked
package dev.jwo.core.storage;

import org.jspecify.annotations.NullMarked;
