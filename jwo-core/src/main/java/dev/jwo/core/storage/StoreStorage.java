package dev.jwo.core.storage;

/**
 * Everything a store keeps durably: one journal and its keyed tables. Open once per server; closing releases
 * connections and files.
 */
public interface StoreStorage extends AutoCloseable {

  EventJournal journal();

  /**
   * The keyed table of that name, created on first use.
   *
   * @param name lowercase letters, digits and underscores
   */
  KeyedTable table(String name);

  /** A short description for logs, e.g. {@code "embedded database at data/jwo"}; never includes credentials. */
  String describe();

  @Override
  void close();
}
