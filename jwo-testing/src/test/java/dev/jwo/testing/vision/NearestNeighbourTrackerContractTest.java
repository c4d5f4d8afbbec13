package dev.jwo.testing.vision;

import dev.jwo.vision.PersonTracker;
import dev.jwo.vision.tracking.NearestNeighbourTracker;
import dev.jwo.vision.tracking.TrackerSettings;

class NearestNeighbourTrackerContractTest extends PersonTrackerContractKit {
  @Override
  protected PersonTracker newTracker() {
    return new NearestNeighbourTracker(TrackerSettings.DEFAULTS);
  }

  @Override
  protected long lostAfterMillis() {
    return TrackerSettings.DEFAULTS.lostAfterMillis();
  }
}
