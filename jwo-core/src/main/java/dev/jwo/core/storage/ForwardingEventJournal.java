package dev.jwo.core.storage;

import java.util.List;

/**
 * A journal that passes every call to another; subclass it to decorate a journal (metrics, fault injection in
 * tests) by overriding what changes. The default methods ({@code append}, {@code appendAllAsync}) are not forwarded:
 * they go through this journal's {@link #appendAll}, so an override of it sees every append.
 */
public abstract class ForwardingEventJournal implements EventJournal {
  private final EventJournal delegate;

  protected ForwardingEventJournal(EventJournal delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<Long> appendAll(List<StreamAppend> appends) {
    return delegate.appendAll(appends);
  }

  @Override
  public List<JournalEntry> read(String stream, long fromPosition, int maxRecords) {
    return delegate.read(stream, fromPosition, maxRecords);
  }

  @Override
  public long endPosition(String stream) {
    return delegate.endPosition(stream);
  }

  @Override
  public List<String> streams(String prefix) {
    return delegate.streams(prefix);
  }

  @Override
  public void truncate(String stream, long beforePosition) {
    delegate.truncate(stream, beforePosition);
  }
}
