package dev.jwo.core.storage;

/**
 * A storage that passes every call to another; subclass it to decorate a storage, e.g. to wrap its journal in a
 * {@link ForwardingEventJournal}.
 */
public abstract class ForwardingStoreStorage implements StoreStorage {
  private final StoreStorage delegate;

  protected ForwardingStoreStorage(StoreStorage delegate) {
    this.delegate = delegate;
  }

  @Override
  public EventJournal journal() {
    return delegate.journal();
  }

  @Override
  public KeyedTable table(String name) {
    return delegate.table(name);
  }

  @Override
  public boolean durable() {
    return delegate.durable();
  }

  @Override
  public String purgeDeleted() {
    return delegate.purgeDeleted();
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
