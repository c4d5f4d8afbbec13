package dev.jwo.storage;

import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Position;
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import java.util.Currency;
import java.util.List;

/** The smallest store the layout allows: one entry gate, nothing for sale. */
public final class TestStores {
  private TestStores() {}

  public static StoreLayout layout(String storeId) {
    return new StoreLayout(StoreId.of(storeId), "US-IL", Currency.getInstance("USD"), new Floor(10, 10),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(1, 0))), List.of(), List.of(), List.of());
  }
}
