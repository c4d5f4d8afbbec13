package dev.jwo.testing.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalConflictException;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StorageNames;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.VersionConflictException;
import dev.jwo.core.storage.VersionedValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StoreStorage} keeps (see {@link EventJournal} and {@link KeyedTable}): positions and
 * versions, optimistic conflicts, atomic multi-stream appends, ordering under concurrency (no loss, no duplicate),
 * the rules of {@link StorageNames}, and what happens after close. Subclass it in your storage's tests and
 * implement {@link #newStorage()}; for storage that survives a restart, subclass
 * {@link DurableStoreStorageContractKit} instead.
 */
public abstract class StoreStorageContractKit {
  /** The type of the records the kit appends. */
  protected static final String TYPE = "kit/v1";

  /** The storage under test; a subclass may replace it (e.g. after reopening). */
  protected StoreStorage storage;

  /** A fresh storage holding nothing. The kit closes it after each test. */
  protected abstract StoreStorage newStorage();

  @BeforeEach
  void openStorage() {
    storage = newStorage();
  }

  @AfterEach
  void closeStorage() {
    storage.close();
  }

  /** A record of the kit's type whose payload is {@code text} in UTF-8. */
  protected static JournalRecord record(String text) {
    return new JournalRecord(TYPE, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The UTF-8 text of an entry's payload. */
  protected static String text(JournalEntry entry) {
    return new String(entry.record().payload(), StandardCharsets.UTF_8);
  }

  /** The texts of all records of a stream, in order. */
  protected List<String> texts(String stream) {
    List<String> texts = new ArrayList<>();
    long from = 0;
    while (true) {
      List<JournalEntry> batch = storage.journal().read(stream, from, 500);
      if (batch.isEmpty()) {
        return texts;
      }
      for (JournalEntry entry : batch) {
        assertThat(entry.stream()).isEqualTo(stream);
        assertThat(entry.position()).as("positions are dense").isEqualTo(from);
        texts.add(text(entry));
        from++;
      }
    }
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // ---- journal: positions, reads ----

  @Test
  void appendsGetDensePositionsFromZeroAndReadBackInOrder() {
    EventJournal journal = storage.journal();
    assertThat(journal.endPosition("cart/v-1")).isZero();
    assertThat(journal.append(StreamAppend.of("cart/v-1", 0, record("a"), record("b")))).isZero();
    assertThat(journal.append(StreamAppend.of("cart/v-1", 2, record("c")))).isEqualTo(2);
    assertThat(journal.endPosition("cart/v-1")).isEqualTo(3);

    List<JournalEntry> entries = journal.read("cart/v-1", 0, 10);
    assertThat(entries).extracting(JournalEntry::position).containsExactly(0L, 1L, 2L);
    assertThat(entries).extracting(StoreStorageContractKit::text).containsExactly("a", "b", "c");
    assertThat(entries).allSatisfy(e -> {
      assertThat(e.stream()).isEqualTo("cart/v-1");
      assertThat(e.record().type()).isEqualTo(TYPE);
    });
  }

  @Test
  void truncatingDiscardsTheOldestRecordsAndKeepsEveryPosition() {
    EventJournal journal = storage.journal();
    journal.append(StreamAppend.of("input", 0, record("0"), record("1"), record("2"), record("3"), record("4")));
    journal.append(StreamAppend.of("other", 0, record("x"), record("y")));

    journal.truncate("input", 3);

    assertThat(journal.read("input", 0, 10)).extracting(JournalEntry::position).containsExactly(3L, 4L);
    assertThat(journal.read("input", 1, 1)).extracting(StoreStorageContractKit::text).containsExactly("3");
    assertThat(journal.endPosition("input")).isEqualTo(5);
    assertThat(journal.append(StreamAppend.of("input", 5, record("5")))).isEqualTo(5);
    journal.truncate("input", 2);
    assertThat(journal.read("input", 0, 10)).extracting(StoreStorageContractKit::text).containsExactly("3", "4", "5");
    assertThat(journal.read("other", 0, 10)).extracting(StoreStorageContractKit::text).containsExactly("x", "y");

    journal.truncate("input", 100);
    assertThat(journal.read("input", 0, 10)).isEmpty();
    assertThat(journal.endPosition("input")).isEqualTo(6);
    assertThat(journal.append(StreamAppend.of("input", 6, record("6")))).isEqualTo(6);
    assertThat(journal.read("input", 0, 10)).extracting(JournalEntry::position).containsExactly(6L);
    journal.truncate("never-written", 10);
    assertThat(journal.endPosition("never-written")).isZero();
  }

  @Test
  void anAppendAtAnyPositionGoesToTheEnd() {
    EventJournal journal = storage.journal();
    assertThat(journal.append(StreamAppend.atEnd("audit", record("1")))).isZero();
    assertThat(journal.append(StreamAppend.atEnd("audit", record("2"), record("3")))).isEqualTo(1);
    assertThat(journal.append(StreamAppend.atEnd("audit", record("4")))).isEqualTo(3);
    assertThat(texts("audit")).containsExactly("1", "2", "3", "4");
  }

  @Test
  void readsFromAPositionUpToALimit() {
    EventJournal journal = storage.journal();
    for (int i = 0; i < 10; i++) {
      journal.append(StreamAppend.atEnd("s", record("r" + i)));
    }
    assertThat(journal.read("s", 3, 4)).extracting(JournalEntry::position).containsExactly(3L, 4L, 5L, 6L);
    assertThat(journal.read("s", 8, 100)).extracting(StoreStorageContractKit::text).containsExactly("r8", "r9");
    assertThat(journal.read("s", 10, 100)).isEmpty();
    assertThat(journal.read("s", 1_000, 1)).isEmpty();
    assertThat(journal.read("no-such-stream", 0, 100)).isEmpty();
    assertThat(journal.endPosition("no-such-stream")).isZero();
  }

  @Test
  void readRejectsANegativePositionOrANonPositiveLimit() {
    EventJournal journal = storage.journal();
    assertThatThrownBy(() -> journal.read("s", -1, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> journal.read("s", 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void payloadsAndTypesRoundTripExactly() {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < 256; i++) {
      everyByte[i] = (byte) i;
    }
    byte[] largest = new byte[StorageNames.MAX_PAYLOAD_BYTES];
    for (int i = 0; i < largest.length; i++) {
      largest[i] = (byte) (i * 31 + 7);
    }
    List<JournalRecord> records = List.of(
        new JournalRecord("bytes/v1", everyByte),
        new JournalRecord("empty/v1", new byte[0]),
        new JournalRecord("largest/v1", largest),
        new JournalRecord("text/v1", bytes("Grüße, 世界")));
    storage.journal().append(new StreamAppend("payloads", 0, records));

    List<JournalEntry> read = storage.journal().read("payloads", 0, 10);
    assertThat(read).extracting(JournalEntry::record).containsExactlyElementsOf(records);
  }

  @Test
  void aPayloadOverTheLimitIsRejectedBeforeItReachesTheStorage() {
    assertThatThrownBy(() -> new JournalRecord(TYPE, new byte[StorageNames.MAX_PAYLOAD_BYTES + 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
  }

  // ---- journal: conflicts and atomicity ----

  @Test
  void aWrongExpectedPositionIsAConflictAndAppendsNothing() {
    EventJournal journal = storage.journal();
    journal.append(StreamAppend.of("cart/v-2", 0, record("a")));

    assertThatThrownBy(() -> journal.append(StreamAppend.of("cart/v-2", 5, record("x"))))
        .isInstanceOfSatisfying(JournalConflictException.class, e -> {
          assertThat(e.stream()).isEqualTo("cart/v-2");
          assertThat(e.expectedPosition()).isEqualTo(5);
          assertThat(e.actualPosition()).isEqualTo(1);
          assertThat(e.isRetriable()).isFalse();
        });
    assertThatThrownBy(() -> journal.append(StreamAppend.of("cart/v-new", 1, record("x"))))
        .isInstanceOfSatisfying(JournalConflictException.class, e -> assertThat(e.actualPosition()).isZero());
    assertThat(texts("cart/v-2")).containsExactly("a");
    assertThat(journal.endPosition("cart/v-new")).isZero();
    assertThat(journal.streams("cart/")).containsExactly("cart/v-2");
  }

  @Test
  void anAppendRepeatedAfterItSucceededIsRecognisedNotDuplicated() {
    EventJournal journal = storage.journal();
    StreamAppend append = StreamAppend.of("cart/v-3", 0, record("apple"), record("pear"));
    journal.append(append);

    // A server that restarts repeats its work: the same append at the same expected position.
    assertThatThrownBy(() -> journal.append(append))
        .isInstanceOfSatisfying(JournalConflictException.class, e -> assertThat(e.actualPosition()).isEqualTo(2));
    List<JournalEntry> there = journal.read("cart/v-3", append.expectedPosition(), append.records().size());
    assertThat(there).extracting(JournalEntry::record).containsExactlyElementsOf(append.records());
    assertThat(journal.endPosition("cart/v-3")).isEqualTo(2);
  }

  @Test
  void appendAllIsAtomicAcrossStreams() {
    EventJournal journal = storage.journal();
    journal.append(StreamAppend.of("b", 0, record("b0")));

    assertThatThrownBy(() -> journal.appendAll(List.of(
            StreamAppend.of("a", 0, record("a0")),
            StreamAppend.of("c", 0, record("c0")),
            StreamAppend.of("b", 0, record("b-again")))))
        .isInstanceOf(JournalConflictException.class);
    assertThat(journal.endPosition("a")).isZero();
    assertThat(journal.endPosition("c")).isZero();
    assertThat(texts("b")).containsExactly("b0");

    assertThat(journal.appendAll(List.of(
            StreamAppend.of("a", 0, record("a0")),
            StreamAppend.of("b", 1, record("b1"), record("b2")),
            StreamAppend.of("a", 1, record("a1")))))
        .containsExactly(0L, 1L, 1L);
    assertThat(texts("a")).containsExactly("a0", "a1");
    assertThat(texts("b")).containsExactly("b0", "b1", "b2");
  }

  @Test
  void appendAllNeedsAtLeastOneAppend() {
    assertThatThrownBy(() -> storage.journal().appendAll(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void streamsAreListedByPrefixInNameOrder() {
    EventJournal journal = storage.journal();
    for (String s : List.of("cart/v-10", "cart/v-1", "cart/v-2", "cart0", "cart", "carts/x", "audit", "cart/~",
        "cart/!")) {
      journal.append(StreamAppend.atEnd(s, record(s)));
    }
    assertThat(journal.streams("cart/"))
        .containsExactly("cart/!", "cart/v-1", "cart/v-10", "cart/v-2", "cart/~");
    assertThat(journal.streams("cart/v-1")).containsExactly("cart/v-1", "cart/v-10");
    assertThat(journal.streams("cart"))
        .containsExactly("cart", "cart/!", "cart/v-1", "cart/v-10", "cart/v-2", "cart/~", "cart0", "carts/x");
    assertThat(journal.streams("")).hasSize(9).startsWith("audit").isSorted();
    assertThat(journal.streams("zzz")).isEmpty();
  }

  // ---- journal: concurrency ----

  @Test
  void concurrentAppendsFromManyThreadsAreAllKeptOnceInEachThreadsOrder() throws Exception {
    int threads = 8;
    int perThread = 150;
    List<Callable<List<Long>>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      tasks.add(() -> {
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          String text = thread + ":" + i;
          List<Long> firsts = storage.journal().appendAll(List.of(
              StreamAppend.atEnd("shared", record(text)),
              StreamAppend.of("own/" + thread, i, record(text))));
          positions.add(firsts.get(0));
        }
        return positions;
      });
    }
    List<List<Long>> positions = runConcurrently(tasks);

    Set<Long> sharedPositions = new HashSet<>();
    positions.forEach(sharedPositions::addAll);
    assertThat(sharedPositions).as("each append got its own position").hasSize(threads * perThread);
    List<String> shared = texts("shared");
    assertThat(shared).hasSize(threads * perThread).doesNotHaveDuplicates();
    Map<Integer, Integer> lastSeen = new TreeMap<>();
    for (String text : shared) {
      int thread = Integer.parseInt(text.substring(0, text.indexOf(':')));
      int i = Integer.parseInt(text.substring(text.indexOf(':') + 1));
      assertThat(i).as("thread %d's appends in its order", thread).isEqualTo(lastSeen.getOrDefault(thread, -1) + 1);
      lastSeen.put(thread, i);
    }
    for (int t = 0; t < threads; t++) {
      List<String> own = texts("own/" + t);
      assertThat(own).hasSize(perThread);
      for (int i = 0; i < perThread; i++) {
        assertThat(own.get(i)).isEqualTo(t + ":" + i);
        // The two records of one call were appended together.
        assertThat(shared.get(positions.get(t).get(i).intValue())).isEqualTo(t + ":" + i);
      }
    }
  }

  @Test
  void writersRacingForOnePositionNeverBothWin() throws Exception {
    int threads = 6;
    int perThread = 40;
    AtomicInteger conflicts = new AtomicInteger();
    List<Callable<List<Long>>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      tasks.add(() -> {
        List<Long> won = new ArrayList<>();
        while (won.size() < perThread) {
          long end = storage.journal().endPosition("contended");
          try {
            storage.journal().append(StreamAppend.of("contended", end, record(thread + ":" + won.size())));
            won.add(end);
          } catch (JournalConflictException e) {
            conflicts.incrementAndGet();
          }
        }
        return won;
      });
    }
    List<List<Long>> won = runConcurrently(tasks);

    Set<Long> all = new HashSet<>();
    won.forEach(all::addAll);
    assertThat(all).hasSize(threads * perThread);
    assertThat(texts("contended")).hasSize(threads * perThread).doesNotHaveDuplicates();
    List<JournalEntry> entries = storage.journal().read("contended", 0, threads * perThread);
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertThat(text(entries.get(won.get(t).get(i).intValue()))).isEqualTo(t + ":" + i);
      }
    }
  }

  @Test
  void asyncAppendsAreAppliedInTheOrderTheyWereMade() {
    EventJournal journal = storage.journal();
    List<CompletableFuture<List<Long>>> futures = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      futures.add(journal.appendAllAsync(List.of(StreamAppend.of("input", i, record("e" + i)))));
    }
    CompletableFuture<List<Long>> conflicting =
        journal.appendAllAsync(List.of(StreamAppend.of("input", 7, record("late"))));
    for (int i = 0; i < futures.size(); i++) {
      assertThat(futures.get(i).join()).containsExactly((long) i);
    }
    assertThatThrownBy(conflicting::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(JournalConflictException.class);
    List<String> texts = texts("input");
    assertThat(texts).hasSize(300);
    for (int i = 0; i < 300; i++) {
      assertThat(texts.get(i)).isEqualTo("e" + i);
    }
  }

  @Test
  void oneCallsConflictDoesNotFailOtherCallsCommittedWithIt() throws Exception {
    EventJournal journal = storage.journal();
    List<CompletableFuture<List<Long>>> good = new ArrayList<>();
    List<CompletableFuture<List<Long>>> bad = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      good.add(journal.appendAllAsync(List.of(StreamAppend.of("ok/" + i, 0, record("x")))));
      bad.add(journal.appendAllAsync(List.of(StreamAppend.of("bad/" + i, 3, record("x")))));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(good.get(i).get(30, TimeUnit.SECONDS)).containsExactly(0L);
      CompletableFuture<List<Long>> refused = bad.get(i);
      assertThatThrownBy(refused::join).hasCauseInstanceOf(JournalConflictException.class);
    }
    assertThat(journal.streams("ok/")).hasSize(100);
    assertThat(journal.streams("bad/")).isEmpty();
  }

  // ---- keyed tables ----

  @Test
  void aNewRowStartsAtVersionOneAndEachWriteAddsOne() {
    KeyedTable payments = storage.table("payments");
    assertThat(payments.name()).isEqualTo("payments");
    assertThat(payments.get("v-1")).isEmpty();
    assertThat(payments.put("v-1", bytes("held"), KeyedTable.ABSENT)).isEqualTo(1);
    assertThat(payments.put("v-1", bytes("capturing"), 1)).isEqualTo(2);
    assertThat(payments.put("v-1", bytes("captured"), 2)).isEqualTo(3);

    VersionedValue row = payments.get("v-1").orElseThrow();
    assertThat(row.version()).isEqualTo(3);
    assertThat(row.value()).isEqualTo(bytes("captured"));
  }

  @Test
  void aWriteExpectingAnotherVersionConflictsAndChangesNothing() {
    KeyedTable table = storage.table("receipts");
    table.put("v-1", bytes("first"), KeyedTable.ABSENT);

    assertThatThrownBy(() -> table.put("v-1", bytes("again"), KeyedTable.ABSENT))
        .isInstanceOfSatisfying(VersionConflictException.class, e -> {
          assertThat(e.table()).isEqualTo("receipts");
          assertThat(e.key()).isEqualTo("v-1");
          assertThat(e.expectedVersion()).isEqualTo(KeyedTable.ABSENT);
          assertThat(e.actualVersion()).isEqualTo(1);
          assertThat(e.isRetriable()).isFalse();
        });
    assertThatThrownBy(() -> table.put("v-1", bytes("stale"), 7))
        .isInstanceOfSatisfying(VersionConflictException.class, e -> assertThat(e.actualVersion()).isEqualTo(1));
    assertThatThrownBy(() -> table.put("v-missing", bytes("x"), 1))
        .isInstanceOfSatisfying(VersionConflictException.class,
            e -> assertThat(e.actualVersion()).isEqualTo(KeyedTable.ABSENT));
    assertThat(table.get("v-1").orElseThrow()).isEqualTo(new VersionedValue(bytes("first"), 1));
    assertThat(table.get("v-missing")).isEmpty();
  }

  @Test
  void aWriteAtAnyVersionCreatesOrReplaces() {
    KeyedTable table = storage.table("receipts");
    assertThat(table.put("v-1", bytes("a"), KeyedTable.ANY_VERSION)).isEqualTo(1);
    assertThat(table.put("v-1", bytes("b"), KeyedTable.ANY_VERSION)).isEqualTo(2);
    assertThat(table.get("v-1").orElseThrow().value()).isEqualTo(bytes("b"));
  }

  @Test
  void deleteDestroysTheRowAndAKeyWrittenAgainStartsOver() {
    KeyedTable keys = storage.table("person_keys");
    keys.put("p-1", bytes("secret"), KeyedTable.ABSENT);
    keys.put("p-1", bytes("secret2"), 1);

    assertThat(keys.delete("p-1")).isTrue();
    assertThat(keys.delete("p-1")).isFalse();
    assertThat(keys.get("p-1")).isEmpty();
    assertThat(keys.scan("")).isEmpty();
    assertThat(keys.put("p-1", bytes("new"), KeyedTable.ABSENT)).isEqualTo(1);
  }

  @Test
  void aConditionalDeleteKeepsARowRewrittenSinceItWasRead() {
    KeyedTable holds = storage.table("entry_holds");
    long read = holds.put("g/s", bytes("first"), KeyedTable.ABSENT);
    long rewritten = holds.put("g/s", bytes("second"), read);

    assertThatThrownBy(() -> holds.delete("g/s", read))
        .isInstanceOfSatisfying(VersionConflictException.class, e -> {
          assertThat(e.expectedVersion()).isEqualTo(read);
          assertThat(e.actualVersion()).isEqualTo(rewritten);
        });
    assertThat(holds.get("g/s").orElseThrow().value()).isEqualTo(bytes("second"));

    assertThat(holds.delete("g/s", rewritten)).isTrue();
    assertThat(holds.get("g/s")).isEmpty();
    assertThatThrownBy(() -> holds.delete("g/s", rewritten))
        .isInstanceOfSatisfying(VersionConflictException.class,
            e -> assertThat(e.actualVersion()).isEqualTo(KeyedTable.ABSENT));
  }

  @Test
  void ofAWriterAndAConditionalDeleterOfOneVersionOnlyOneWins() throws Exception {
    KeyedTable holds = storage.table("entry_holds");
    int rounds = 20;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < rounds; i++) {
        String key = "k-" + i;
        long version = holds.put(key, bytes("placed"), KeyedTable.ABSENT);
        CyclicBarrier start = new CyclicBarrier(2);
        Future<Boolean> writer = pool.submit(() -> {
          start.await();
          try {
            holds.put(key, bytes("claimed"), version);
            return true;
          } catch (VersionConflictException e) {
            return false;
          }
        });
        Future<Boolean> deleter = pool.submit(() -> {
          start.await();
          try {
            return holds.delete(key, version);
          } catch (VersionConflictException e) {
            return false;
          }
        });
        boolean wrote = writer.get(30, TimeUnit.SECONDS);
        boolean deleted = deleter.get(30, TimeUnit.SECONDS);
        assertThat(wrote ^ deleted).as("round %d: exactly one of the write and the delete applies", i).isTrue();
        assertThat(holds.get(key).map(v -> new String(v.value(), StandardCharsets.UTF_8)))
            .isEqualTo(wrote ? Optional.of("claimed") : Optional.empty());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void scanListsRowsByPrefixInKeyOrderAndTablesAreSeparate() {
    KeyedTable receipts = storage.table("receipts");
    KeyedTable payments = storage.table("payments");
    for (String key : List.of("v-2", "v-10", "v-1", "w-1", "v", "v-1~")) {
      receipts.put(key, bytes("r:" + key), KeyedTable.ABSENT);
    }
    payments.put("v-1", bytes("p:v-1"), KeyedTable.ABSENT);

    assertThat(receipts.scan("v-")).extracting(KeyedValue::key).containsExactly("v-1", "v-10", "v-1~", "v-2");
    assertThat(receipts.scan("")).extracting(KeyedValue::key)
        .containsExactly("v", "v-1", "v-10", "v-1~", "v-2", "w-1");
    assertThat(receipts.scan("v-1~")).singleElement().satisfies(row -> {
      assertThat(row.value().value()).isEqualTo(bytes("r:v-1~"));
      assertThat(row.value().version()).isEqualTo(1);
    });
    assertThat(payments.scan("")).extracting(KeyedValue::key).containsExactly("v-1");
    assertThat(payments.get("v-1").orElseThrow().value()).isEqualTo(bytes("p:v-1"));
    assertThat(storage.table("receipts").get("v-2")).isPresent();
  }

  @Test
  void valuesRoundTripExactlyUpToTheLimit() {
    KeyedTable table = storage.table("blobs");
    byte[] largest = new byte[StorageNames.MAX_PAYLOAD_BYTES];
    for (int i = 0; i < largest.length; i++) {
      largest[i] = (byte) (i * 13);
    }
    table.put("empty", new byte[0], KeyedTable.ABSENT);
    table.put("largest", largest, KeyedTable.ABSENT);
    assertThat(table.get("empty").orElseThrow().value()).isEmpty();
    assertThat(table.get("largest").orElseThrow().value()).isEqualTo(largest);
    assertThatThrownBy(() -> table.put("too-large", new byte[StorageNames.MAX_PAYLOAD_BYTES + 1],
            KeyedTable.ABSENT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(table.get("too-large")).isEmpty();
  }

  @Test
  void concurrentCompareAndSetWritersLoseNoUpdate() throws Exception {
    KeyedTable counters = storage.table("counters");
    int threads = 6;
    int perThread = 25;
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      tasks.add(() -> {
        int conflicts = 0;
        for (int i = 0; i < perThread; ) {
          var current = counters.get("visits");
          long version = current.map(VersionedValue::version).orElse(KeyedTable.ABSENT);
          long count = current.map(v -> ByteBuffer.wrap(v.value()).getLong()).orElse(0L);
          try {
            counters.put("visits", ByteBuffer.allocate(8).putLong(count + 1).array(), version);
            i++;
          } catch (VersionConflictException e) {
            conflicts++;
          }
        }
        return conflicts;
      });
    }
    runConcurrently(tasks);

    VersionedValue row = counters.get("visits").orElseThrow();
    assertThat(ByteBuffer.wrap(row.value()).getLong()).isEqualTo((long) threads * perThread);
    assertThat(row.version()).isEqualTo((long) threads * perThread);
  }

  @Test
  void ofWritersCreatingTheSameRowOnlyOneWins() throws Exception {
    KeyedTable table = storage.table("receipts");
    int threads = 6;
    for (int round = 0; round < 10; round++) {
      String key = "v-" + round;
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        tasks.add(() -> {
          try {
            table.put(key, bytes("writer " + thread), KeyedTable.ABSENT);
            return true;
          } catch (VersionConflictException e) {
            assertThat(e.actualVersion()).isEqualTo(1);
            return false;
          }
        });
      }
      List<Boolean> won = runConcurrently(tasks);
      assertThat(won).filteredOn(w -> w).hasSize(1);
      int winner = won.indexOf(true);
      assertThat(table.get(key).orElseThrow()).isEqualTo(new VersionedValue(bytes("writer " + winner), 1));
    }
  }

  // ---- names ----

  @Test
  void invalidStreamNamesAreRejected() {
    EventJournal journal = storage.journal();
    for (String bad : List.of("", "cart/v 1", "cart\n", "tab\there", "caf\u00e9", "a".repeat(201), "\u0000")) {
      assertThatThrownBy(() -> journal.append(StreamAppend.atEnd(bad, record("x"))))
          .as("stream name '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> journal.read(bad, 0, 1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> journal.endPosition(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> journal.streams("with space")).isInstanceOf(IllegalArgumentException.class);
    assertThat(journal.streams("")).isEmpty();
  }

  @Test
  void theWidestValidStreamNamesWork() {
    String longest = "x".repeat(StorageNames.MAX_NAME_LENGTH);
    String punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    EventJournal journal = storage.journal();
    journal.append(StreamAppend.of(longest, 0, record("l")));
    journal.append(StreamAppend.of(punctuation, 0, record("p")));
    assertThat(texts(longest)).containsExactly("l");
    assertThat(texts(punctuation)).containsExactly("p");
    assertThat(journal.streams("")).containsExactly(punctuation, longest);
  }

  @Test
  void invalidTableNamesKeysAndPrefixesAreRejected() {
    for (String bad : List.of("", "Receipts", "1receipts", "receipts; drop table x", "re-ceipts", "r".repeat(64))) {
      assertThatThrownBy(() -> storage.table(bad)).as("table name '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(storage.table("r".repeat(63)).name()).hasSize(63);
    KeyedTable table = storage.table("receipts");
    for (String bad : List.of("", "v 1", "v\u00e9", "k".repeat(201))) {
      assertThatThrownBy(() -> table.put(bad, bytes("x"), KeyedTable.ANY_VERSION)).as("key '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> table.get(bad)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> table.delete(bad)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> table.delete(bad, 1)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> table.delete("v-1", KeyedTable.ANY_VERSION))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> table.scan("v 1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> table.put("v-1", bytes("x"), -2)).isInstanceOf(IllegalArgumentException.class);
    assertThat(table.scan("")).isEmpty();
  }

  // ---- close ----

  @Test
  void afterCloseEveryCallFailsAndIsNotRetriable() {
    EventJournal journal = storage.journal();
    KeyedTable table = storage.table("receipts");
    journal.append(StreamAppend.atEnd("s", record("before")));
    table.put("k", bytes("before"), KeyedTable.ABSENT);

    storage.close();
    storage.close();

    List<Runnable> calls = List.of(
        () -> journal.append(StreamAppend.atEnd("s", record("after"))),
        () -> journal.read("s", 0, 1),
        () -> journal.endPosition("s"),
        () -> journal.streams(""),
        () -> storage.table("receipts"),
        () -> table.get("k"),
        () -> table.put("k", bytes("after"), KeyedTable.ANY_VERSION),
        () -> table.delete("k"),
        () -> table.delete("k", 1),
        () -> table.scan(""));
    for (Runnable call : calls) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isRetriable()).isFalse());
    }
    CompletableFuture<List<Long>> late = journal.appendAllAsync(List.of(StreamAppend.atEnd("s", record("x"))));
    assertThatThrownBy(late::join).hasCauseInstanceOf(StorageException.class);
  }

  @Test
  void describeNamesTheStorageWithoutSecrets() {
    assertThat(storage.describe()).isNotBlank().doesNotContainIgnoringCase("password");
  }

  /** Runs the tasks on their own threads, started together, and returns their results in task order. */
  protected static <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(2, TimeUnit.MINUTES));
      }
      return results;
    } catch (java.util.concurrent.TimeoutException e) {
      return fail("concurrent tasks did not finish: the storage appears to be stuck", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
