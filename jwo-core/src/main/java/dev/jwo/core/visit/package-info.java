/**
 * The seams between the modules that follow a visit: who was admitted ({@link dev.jwo.core.visit.Admission}),
 * where shoppers' hands are ({@link dev.jwo.core.visit.ShopperLocator}, from tracking), who came and went
 * ({@link dev.jwo.core.visit.PartyMovements}, to sessions) and how an ended visit is settled
 * ({@link dev.jwo.core.visit.VisitSettlement}, to payments).
 */
@NullMarked
package dev.jwo.core.visit;

import org.jspecify.annotations.NullMarked;
