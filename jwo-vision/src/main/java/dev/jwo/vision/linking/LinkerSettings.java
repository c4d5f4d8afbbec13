package dev.jwo.vision.linking;

/**
 * Tuning of party linking. Distances in metres, times in milliseconds.
 *
 * @param entryRadiusMetres a track first seen this close to an entry gate may have come in through it
 * @param lineBandMetres a track first seen no farther than this inside the floor's edge at an entry gate appeared
 *     at the gate line; it crossed the line inward once it has walked at least {@code lineBandMetres / 2} farther
 *     in
 * @param admissionWindowMillis how long after the scan the party's members may take to come through
 * @param exitRadiusMetres a track this close to an exit gate when someone passes it may be who left
 * @param continuationSpeed the fastest a person is assumed to walk while unseen, in metres per second
 * @param continuationSlackMetres extra distance allowed when continuing a lost track
 */
public record LinkerSettings(
    double entryRadiusMetres,
    double lineBandMetres,
    long admissionWindowMillis,
    double exitRadiusMetres,
    double continuationSpeed,
    double continuationSlackMetres) {

  public static final LinkerSettings DEFAULTS = new LinkerSettings(2.5, 0.7, 15_000, 3.0, 1.6, 1.0);

  public LinkerSettings {
    if (entryRadiusMetres <= 0 || lineBandMetres <= 0 || exitRadiusMetres <= 0 || continuationSpeed <= 0
        || continuationSlackMetres < 0) {
      throw new IllegalArgumentException("linker distances and speeds must be positive");
    }
    if (admissionWindowMillis <= 0) {
      throw new IllegalArgumentException("the admission window must be positive");
    }
  }
}
