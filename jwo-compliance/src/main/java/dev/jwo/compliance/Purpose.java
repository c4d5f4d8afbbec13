package dev.jwo.compliance;

import java.util.Locale;

/** Why personal data would be used or disclosed. Only some purposes are ever allowed for biometric data. */
public enum Purpose {
  /** Following shoppers through the store to know what each party took. */
  CHECKOUT_TRACKING,
  /** Completing the payment the shopper asked for. */
  PAYMENT,
  /** Complying with a recorded warrant, subpoena or statute. */
  LEGAL_ORDER,
  /** Answering the person's own access request. */
  SUBJECT_ACCESS,
  /** Store analytics and reporting. */
  ANALYTICS,
  /** Advertising or marketing. */
  MARKETING,
  /** Training machine-learning models. */
  MODEL_TRAINING,
  /** Giving data to a third party for value. */
  SALE,
  /** Inferring emotions from biometric data. */
  EMOTION_RECOGNITION,
  /** Sorting people by sensitive traits inferred from biometric data. */
  BIOMETRIC_CATEGORISATION;

  /** The lowercase name used in documents and evidence files. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
