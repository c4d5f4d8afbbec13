package dev.jwo.core.visit;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;

/**
 * The payment side of admitting a party through the store's own API: a hold on the credential's card placed before
 * the gate opens. Implemented by payments and called by the session service before it records an admission; the
 * default (a store without payments) lets every party in. A gate's scanner that reports its entries on the sensor
 * stream asks the same before it opens ({@code SessionService.RequestEntry}); an entry it reports without asking has
 * opened its gate already, and the payments place its hold after the fact, deciding as this would have: a declined
 * card is recorded, and a processor that cannot be reached lets it stay without a hold only where the store's offline
 * policy admits parties without one.
 *
 * <p>Implementations must be thread-safe. {@link #beforeAdmission} may wait for a card processor (within its own
 * time limit); the admission that follows it finds what it decided by gate and credential.
 */
public interface AdmissionHold {
  /** Lets every party in: no hold. */
  AdmissionHold NONE = new AdmissionHold() {
    @Override
    public AdmissionDecision beforeAdmission(GateId gate, Credential credential) {
      return AdmissionDecision.NOT_NEEDED;
    }

    @Override
    public void notAdmitted(GateId gate, Credential credential) {}
  };

  /**
   * Places the hold for a party about to be admitted at {@code gate} by {@code credential}, or lets it in without one
   * where the store's policy allows. Returns normally, saying which, when the gate may open.
   *
   * @throws AdmissionRefusedException when the gate must stay closed
   */
  AdmissionDecision beforeAdmission(GateId gate, Credential credential);

  /** The admission {@link #beforeAdmission} let in was not recorded after all: its hold is released. */
  void notAdmitted(GateId gate, Credential credential);
}
