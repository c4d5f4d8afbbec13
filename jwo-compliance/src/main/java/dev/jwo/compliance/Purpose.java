package dev.jwo.compliance;

/** Why personal data would be used. Only some purposes are ever allowed for biometric data. */
public enum Purpose {
  /** Following shoppers through the store to know what each party took. */
  CHECKOUT_TRACKING,
  /** Completing the payment the shopper asked for. */
  PAYMENT,
  /** Complying with a recorded warrant, subpoena or statute. */
  LEGAL_ORDER,
  /** Store analytics and reporting. */
  ANALYTICS,
  /** Advertising or marketing. */
  MARKETING,
  /** Training machine-learning models. */
  MODEL_TRAINING,
  /** Giving data to a third party for value. */
  SALE
}
