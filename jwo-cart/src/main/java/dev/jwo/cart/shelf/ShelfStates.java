package dev.jwo.cart.shelf;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEvent.PlateChange;
import dev.jwo.cart.ShelfEventBelief;
import dev.jwo.cart.v1.OutcomeState;
import dev.jwo.cart.v1.PlateChangeState;
import dev.jwo.cart.v1.ShelfEventBeliefState;
import dev.jwo.cart.v1.ShelfEventState;
import dev.jwo.core.BinId;
import dev.jwo.core.Sku;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;

/** Shelf events and beliefs as the shelf stage's snapshot keeps them, and back, exactly. */
final class ShelfStates {
  private ShelfStates() {}

  static PlateChangeState plate(PlateChange change) {
    return PlateChangeState.newBuilder()
        .setBin(change.bin().value())
        .setStartTs(change.startTs())
        .setEndTs(change.endTs())
        .setDeltaGrams(change.deltaGrams())
        .setDeltaSdGrams(change.deltaSdGrams())
        .build();
  }

  static PlateChange plate(PlateChangeState kept) {
    return new PlateChange(BinId.of(kept.getBin()), kept.getStartTs(), kept.getEndTs(), kept.getDeltaGrams(),
        kept.getDeltaSdGrams());
  }

  static ShelfEventState event(ShelfEvent event) {
    ShelfEventState.Builder kept = ShelfEventState.newBuilder()
        .setBin(event.bin().value())
        .setStartTs(event.startTs())
        .setEndTs(event.endTs())
        .setDeltaGrams(event.deltaGrams())
        .setDeltaSdGrams(event.deltaSdGrams())
        .setConfidence(event.confidence());
    event.plates().forEach(p -> kept.addPlates(plate(p)));
    return kept.build();
  }

  static ShelfEvent event(ShelfEventState kept) {
    return new ShelfEvent(BinId.of(kept.getBin()), kept.getStartTs(), kept.getEndTs(), kept.getDeltaGrams(),
        kept.getDeltaSdGrams(), kept.getConfidence(), kept.getPlatesList().stream().map(ShelfStates::plate)
        .toList());
  }

  static ShelfEventBeliefState belief(ShelfEventBelief belief) {
    ShelfEventBeliefState.Builder kept = ShelfEventBeliefState.newBuilder()
        .setEvent(event(belief.event()))
        .setEvidence(belief.evidence());
    belief.outcomes().forEach(o -> kept.addOutcomes(outcome(o)));
    ShelfEventBelief.Outcome chosen = belief.chosen();
    if (chosen != null) {
      kept.setChosen(outcome(chosen));
    }
    belief.tracks().forEach(t -> kept.addTracks(t.value()));
    return kept.build();
  }

  static ShelfEventBelief belief(ShelfEventBeliefState kept) {
    return new ShelfEventBelief(event(kept.getEvent()),
        kept.getOutcomesList().stream().map(ShelfStates::outcome).toList(),
        kept.hasChosen() ? outcome(kept.getChosen()) : null,
        kept.getTracksList().stream().map(TrackId::of).toList(),
        kept.getEvidence());
  }

  private static OutcomeState outcome(ShelfEventBelief.Outcome outcome) {
    OutcomeState.Builder kept = OutcomeState.newBuilder()
        .setQuantity(outcome.quantity())
        .setProbability(outcome.probability());
    VisitId visit = outcome.visit();
    if (visit != null) {
      kept.setVisit(visit.value());
    }
    Sku sku = outcome.sku();
    if (sku != null) {
      kept.setSku(sku.value());
    }
    return kept.build();
  }

  private static ShelfEventBelief.Outcome outcome(OutcomeState kept) {
    return new ShelfEventBelief.Outcome(kept.getVisit().isEmpty() ? null : VisitId.of(kept.getVisit()),
        kept.getSku().isEmpty() ? null : Sku.of(kept.getSku()), kept.getQuantity(), kept.getProbability());
  }
}
