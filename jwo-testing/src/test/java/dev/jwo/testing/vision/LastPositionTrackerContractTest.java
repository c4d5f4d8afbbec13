package dev.jwo.testing.vision;

import dev.jwo.vision.PersonTracker;

class LastPositionTrackerContractTest extends PersonTrackerContractKit {
  @Override
  protected PersonTracker newTracker() {
    return new LastPositionTracker();
  }

  @Override
  protected long lostAfterMillis() {
    return LastPositionTracker.LOST_AFTER_MILLIS;
  }
}
