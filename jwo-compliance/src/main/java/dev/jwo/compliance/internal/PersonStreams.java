package dev.jwo.compliance.internal;

import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalConflictException;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StreamAppend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Journal records kept per person, one stream each ({@code <prefix><person>}), so that what a person's deletion
 * request reaches is discarded with their stream and nobody else's records move. A person's records may be
 * {@linkplain #replace replaced}: a marker and the new records are appended in one commit, then everything before
 * the marker is discarded; a read that finds records before a marker (the discard was interrupted) discards them
 * then. Not thread-safe: its owner serialises calls.
 */
public final class PersonStreams {
  /** The type of the record that starts a person's records after a replacement. */
  static final String REPLACED = "replaced";
  private static final int PAGE = 1_000;

  private final EventJournal journal;
  private final String prefix;

  public PersonStreams(EventJournal journal, String prefix) {
    this.journal = journal;
    this.prefix = prefix;
  }

  /** The name of {@code person}'s stream. */
  public String stream(String person) {
    return prefix + person;
  }

  /** Appends each person's records, all in one commit. */
  public void append(Map<String, List<JournalRecord>> byPerson) {
    List<StreamAppend> appends = new ArrayList<>();
    byPerson.forEach((person, records) -> appends.add(
        new StreamAppend(stream(person), EventJournal.ANY_POSITION, records)));
    if (!appends.isEmpty()) {
      journal.appendAll(appends);
    }
  }

  /**
   * Replaces {@code person}'s records by {@code records} (none: the person's records are discarded).
   *
   * @return how many records were discarded
   */
  public int replace(String person, List<JournalRecord> records) {
    String stream = stream(person);
    int before = read(stream).size();
    List<JournalRecord> appended = new ArrayList<>();
    appended.add(new JournalRecord(REPLACED, new byte[] {'{', '}'}));
    appended.addAll(records);
    long marker = journal.append(new StreamAppend(stream, EventJournal.ANY_POSITION, appended));
    journal.truncate(stream, marker);
    return before;
  }

  /** Every person's records, by person in name order, each in the order appended since its last replacement. */
  public Map<String, List<JournalRecord>> readAll() {
    Map<String, List<JournalRecord>> all = new TreeMap<>();
    for (String stream : journal.streams(prefix)) {
      List<JournalRecord> records = read(stream);
      if (!records.isEmpty()) {
        all.put(stream.substring(prefix.length()), records);
      }
    }
    return all;
  }

  /**
   * Moves the records of {@code legacy} (one stream for everybody, as an earlier release kept them) into the
   * people's streams in one commit, then discards them there; a move interrupted before the discard is recognised
   * (the people's streams are no longer empty) and only the discard is done again.
   *
   * @param split each legacy record as the records of each person it concerns
   */
  public void migrate(String legacy, Function<JournalRecord, Map<String, JournalRecord>> split) {
    List<JournalRecord> old = new ArrayList<>();
    long first = -1;
    for (long from = 0; ; ) {
      List<JournalEntry> page = journal.read(legacy, from, PAGE);
      for (JournalEntry entry : page) {
        first = first < 0 ? entry.position() : first;
        old.add(entry.record());
      }
      if (page.size() < PAGE) {
        break;
      }
      from = page.get(page.size() - 1).position() + 1;
    }
    if (old.isEmpty()) {
      return;
    }
    Map<String, List<JournalRecord>> byPerson = new LinkedHashMap<>();
    for (JournalRecord record : old) {
      split.apply(record).forEach((person, part) ->
          byPerson.computeIfAbsent(person, p -> new ArrayList<>()).add(part));
    }
    List<StreamAppend> appends = new ArrayList<>();
    byPerson.forEach((person, records) -> appends.add(new StreamAppend(stream(person), 0, records)));
    try {
      if (!appends.isEmpty()) {
        journal.appendAll(appends);
      }
    } catch (JournalConflictException moved) {
      // An earlier start moved them and stopped before discarding them.
    }
    journal.truncate(legacy, first + old.size());
  }

  private List<JournalRecord> read(String stream) {
    List<JournalRecord> records = new ArrayList<>();
    long firstPosition = -1;
    long marker = -1;
    for (long from = 0; ; ) {
      List<JournalEntry> page = journal.read(stream, from, PAGE);
      for (JournalEntry entry : page) {
        firstPosition = firstPosition < 0 ? entry.position() : firstPosition;
        if (entry.record().type().equals(REPLACED)) {
          marker = entry.position();
          records.clear();
        } else {
          records.add(entry.record());
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      from = page.get(page.size() - 1).position() + 1;
    }
    if (marker > firstPosition) {
      journal.truncate(stream, marker);
    }
    return records;
  }
}
