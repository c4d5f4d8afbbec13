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
