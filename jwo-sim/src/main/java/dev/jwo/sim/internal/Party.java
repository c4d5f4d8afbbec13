package dev.jwo.sim.internal;

import dev.jwo.core.Credential;
import dev.jwo.core.Gate;
import dev.jwo.core.Sku;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A party admitted by one scan, and what its members really took (the ground truth of its visit); or a tailgater,
 * one person who came in behind a party without a scan (no visit, a credential of the simulation's own).
 */
final class Party {
  final int index;
  final Credential credential;
  final int size;
  final @Nullable String consent;
  final Gate entryGate;
  final long scanTs;
  /** Whether this is a tailgater: nobody scanned, {@link #scanTs} is when they crossed the entry gate's line. */
  final boolean tailgater;
  final List<Person> members = new ArrayList<>();
  /** Units each SKU the party holds: taken and not put back. */
  final Map<Sku, Integer> items = new TreeMap<>();

  Party(int index, Credential credential, int size, @Nullable String consent, Gate entryGate, long scanTs) {
    this(index, credential, size, consent, entryGate, scanTs, false);
  }

  Party(int index, Credential credential, int size, @Nullable String consent, Gate entryGate, long scanTs,
      boolean tailgater) {
    this.tailgater = tailgater;
    this.index = index;
    this.credential = credential;
    this.size = size;
    this.consent = consent;
    this.entryGate = entryGate;
    this.scanTs = scanTs;
  }

  /** When the last member walked out. */
  long exitTs() {
    return members.stream().mapToLong(p -> p.exitTs).max().orElse(scanTs);
  }

  void add(Sku sku, int units) {
    int now = items.getOrDefault(sku, 0) + units;
    if (now == 0) {
      items.remove(sku);
    } else {
      items.put(sku, now);
    }
  }
}
