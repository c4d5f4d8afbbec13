package dev.jwo.testing.vision;

import dev.jwo.vision.PersonTracker;
import dev.jwo.vision.tracking.KalmanTracker;
import dev.jwo.vision.tracking.TrackerSettings;

class KalmanTrackerContractTest extends PersonTrackerContractKit {
  @Override
  protected PersonTracker newTracker() {
    return new KalmanTracker(TrackerSettings.DEFAULTS);
  }

  @Override
  protected long lostAfterMillis() {
    return TrackerSettings.DEFAULTS.lostAfterMillis();
  }
}
