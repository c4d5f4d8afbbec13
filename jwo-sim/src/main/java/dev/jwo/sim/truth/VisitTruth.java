package dev.jwo.sim.truth;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.SkuQuantity;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What really happened in one visit: the credential scanned, how many people it admitted (and who they were),
 * whether its holder consented to biometrics, what the party took and did not put back, and when the last
 * member walked out.
 *
 * @param entryGate the gate the party was admitted at (with {@code entryTs} it names the visit)
 * @param items by SKU, quantities above zero, in SKU order
 * @param totalMinor what the items cost, in minor units
 * @param people the simulator's ids of the party's members, as used in the tracking truth
 */
public record VisitTruth(
    Credential credential,
    int party,
    @Nullable String consent,
    GateId entryGate,
    long entryTs,
    long exitTs,
    List<SkuQuantity> items,
    long totalMinor,
    List<String> people) {

  public VisitTruth {
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(entryGate, "entryGate");
    items = items.stream().sorted().toList();
    people = List.copyOf(people);
    if (party < 1) {
      throw new IllegalArgumentException("a party has at least one person, was " + party);
    }
  }

  /** Units in all. */
  public int units() {
    return items.stream().mapToInt(SkuQuantity::quantity).sum();
  }
}
