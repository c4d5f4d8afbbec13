package dev.jwo.vision.linking;

/**
 * Tuning of party linking. Distances in metres, times in milliseconds.
 *
 * @param entryRadiusMetres a track born this close to an entry gate may be a member of a party admitted there
 * @param earlyMillis how long before its scan a party member may already be seen at the gate
 * @param admissionWindowMillis how long after the scan the party's members may take to come through
 * @param exitRadiusMetres a track this close to an exit gate when someone passes it may be who left
 * @param continuationSpeed the fastest a person is assumed to walk while unseen, in metres per second
 * @param continuationSlackMetres extra distance allowed when continuing a lost track
 */
public record LinkerSettings(
    double entryRadiusMetres,
    long earlyMillis,
    long admissionWindowMillis,
    double exitRadiusMetres,
    double continuationSpeed,
    double continuationSlackMetres) {

  public static final LinkerSettings DEFAULTS = new LinkerSettings(2.5, 3_000, 15_000, 3.0, 1.6, 1.0);

  public LinkerSettings {
    if (entryRadiusMetres <= 0 || exitRadiusMetres <= 0 || continuationSpeed <= 0 || continuationSlackMetres < 0) {
      throw new IllegalArgumentException("linker distances and speeds must be positive");
    }
    if (earlyMillis < 0 || admissionWindowMillis <= 0) {
      throw new IllegalArgumentException("linker windows must be positive");
    }
  }
}
