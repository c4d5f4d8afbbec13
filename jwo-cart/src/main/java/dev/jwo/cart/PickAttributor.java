package dev.jwo.cart;

import dev.jwo.core.Bin;
import dev.jwo.core.visit.ShopperLocator;

/**
 * Decides which visit's shopper made a shelf event, from where hands were. Must be deterministic.
 *
 * <p>Only hands within reach of the bin's front (anywhere along its width) around the time its load changed count;
 * a hand seen there long before or after, or out of reach, says nothing. The visit whose hand came nearest gets the
 * event. The attribution names no visit when no identified shopper's hand was in reach, and is not confident when
 * it is in doubt: hands of two visits about equally near, or an unidentified person's hand clearly nearer than
 * the shopper's. Several hands or tracks of one visit (both hands, or members of one party) are no doubt. The
 * explanation is for the person who reviews the visit; it is never blank.
 */
public interface PickAttributor {

  /**
   * @param hands where hands were; the attributor asks it only about the bin and the time of the event
   */
  Attribution attribute(ShelfEvent event, Bin bin, ShopperLocator hands);
}
