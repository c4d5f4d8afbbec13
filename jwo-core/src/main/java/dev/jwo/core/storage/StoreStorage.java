package dev.jwo.core.storage;

/**
 * Everything a store keeps durably: one {@link EventJournal} and its {@link KeyedTable}s. Open once per server
 * and share; implementations are thread-safe. Closing releases connections and files; whoever opened the
 * storage closes it (Guice does not).
 */
public interface StoreStorage extends AutoCloseable {

  /** The store's journal; the same instance on every call. */
  EventJournal journal();

  /**
   * The keyed table of that name, created on first use.
   *
   * @param name see {@link StorageNames#requireTable}
   * @throws IllegalArgumentException if the name breaks the rules
   */
  KeyedTable table(String name);

  /**
   * Whether what is kept here outlives the process (true unless the implementation says otherwise). A store whose
   * storage is durable needs keys that outlive the process too: random keys would leave what it kept unreadable.
   */
  default boolean durable() {
    return true;
  }

  /**
   * Removes from the storage's own files the bytes of keyed rows deleted or replaced before the call (a shredded
   * key, an erased credential), which a database may otherwise keep in its pages until it reuses the space. It may
   * block readers and writers of the keyed tables while it runs, so callers run it seldom and after destructions.
   * An implementation whose files hold no deleted bytes while it is open (memory), or that removes them only as it
   * closes, does nothing.
   *
   * @return what was done, for a destruction's record (e.g. {@code "PostgreSQL table keyed_rows rewritten"}), or
   *     empty if nothing was
   * @throws StorageException if it failed; the rows are deleted either way, and a later call may succeed
   */
  default String purgeDeleted() {
    return "";
  }

  /** A short description for logs, e.g. {@code "embedded database in data/jwo"}; never includes credentials. */
  String describe();

  /**
   * Finishes what was acknowledged or is being committed, then releases connections and files. Idempotent.
   * Afterwards every call on the storage, its journal and its tables fails with a {@link StorageException}
   * that is not retriable.
   */
  @Override
  void close();
}
