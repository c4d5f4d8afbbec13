package dev.jwo.cart.ledger;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.subject.SubjectRecords;
import dev.jwo.compliance.subject.SubjectSection;
import dev.jwo.core.VisitId;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the cart ledgers hold about a person, for their access request: for each of their visits (as the parts of
 * the store that know whose visit it was tell), where in the store they took each item or put it back, and when.
 * A ledger names no person; only the visits another part links to the person are shown.
 */
@Singleton
public final class CartSubjectRecords implements SubjectRecords {
  private final CartLedger ledger;

  @Inject
  public CartSubjectRecords(CartLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public List<SubjectSection> about(String subject, Set<String> visits) {
    List<String> lines = new ArrayList<>();
    for (String visit : new TreeSet<>(visits)) {
      for (CartEntry entry : ledger.storedLedger(VisitId.of(visit))) {
        int units = Math.abs(entry.quantityDelta());
        lines.add("Visit " + visit + " at " + Instant.ofEpochMilli(entry.ts()) + ": "
            + (entry.quantityDelta() > 0 ? "took " : "put back ") + units + " x " + entry.sku().value()
            + (entry.quantityDelta() > 0 ? " from" : " to") + " shelf bin " + entry.bin().value() + ".");
      }
    }
    return List.of(new SubjectSection("Where in the store you took or put back items",
        EnumSet.of(DataCategory.LOCATION_TRACK, DataCategory.PURCHASE), lines));
  }
}
