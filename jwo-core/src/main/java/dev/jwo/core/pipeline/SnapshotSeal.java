package dev.jwo.core.pipeline;

import dev.jwo.core.v1.AdmissionState;
import dev.jwo.core.visit.Admission;

/**
 * Keeps a visit's raw credential out of pipeline snapshots as the store keeps it out of its journal: an admission
 * is written with its credential sealed under the visit's own key and read back while that key is kept (then as
 * the person's keyed subject only).
 */
public interface SnapshotSeal {

  /** The admission as a snapshot may keep it. */
  AdmissionState seal(Admission admission);

  /** The admission a {@linkplain #seal sealed} one stands for. */
  Admission open(AdmissionState sealed);
}
