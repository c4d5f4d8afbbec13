/** Incidents for staff: tailgating and unpaid exits, recorded once each with their evidence. */
@NullMarked
package dev.jwo.payments.incident;

import org.jspecify.annotations.NullMarked;
