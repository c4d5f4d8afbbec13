package dev.jwo.cart.shelf;

import dev.jwo.cart.ProductResolver;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.core.Sku;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Whether a change of several plates is one unit lying across them or several units taken (or put) at once on
 * neighbouring plates: it is taken apart when every part is clearly a product of its own plate (the parts of a
 * unit lying across plates are fractions of it, which no product explains), or when its parts go different ways.
 */
public final class MultiPlateEvents {
  private MultiPlateEvents() {}

  /**
   * The events to explain one by one: {@code event} itself, or one per plate.
   *
   * @param candidates what could explain an event (before knowing whose it is)
   */
  public static List<ShelfEvent> explainable(ShelfEvent event, ProductResolver resolver,
      Function<ShelfEvent, Map<Sku, Integer>> candidates) {
    if (event.plates().size() < 2) {
      return List.of(event);
    }
    List<ShelfEvent> parts = new ArrayList<>();
    for (ShelfEvent.PlateChange part : event.plates()) {
      parts.add(ShelfEvent.ofPlate(part, event.confidence()));
    }
    if (parts.stream().anyMatch(p -> p.isRemoval() != event.isRemoval())) {
      return parts;
    }
    for (ShelfEvent part : parts) {
      if (!resolver.resolve(part, candidates.apply(part)).confident()) {
        return List.of(event);
      }
    }
    return parts;
  }
}
