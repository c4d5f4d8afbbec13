package dev.jwo.compliance.audit;

/** What an audit record attests. */
public enum AuditType {
  /** A public document (policy, disclosure, sign, notice) or the store's policy set was published. */
  POLICY_PUBLISHED,
  /** A signed release was recorded. */
  CONSENT_RECORDED,
  /** A person withdrew consent (or opted out). */
  CONSENT_WITHDRAWN,
  /** Biometric data was used or kept (first use per person, method and visit). */
  CAPTURE,
  /** Biometric data was refused at the door and dropped (first drop per person, method, rule and visit). */
  DROP,
  /** Personal data left the store for an allowed purpose. */
  DISCLOSURE,
  /** An export of personal data was refused. */
  DISCLOSURE_REFUSED,
  /** Biometric data was destroyed (its key shredded). */
  DESTRUCTION,
  /** A legal hold was placed, with its warrant or subpoena reference. */
  LEGAL_HOLD_PLACED,
  /** A legal hold was released. */
  LEGAL_HOLD_RELEASED,
  /** A person's access request was answered. */
  SUBJECT_ACCESS,
  /** A person asked for their data to be deleted. */
  DELETION_REQUESTED,
  /** A reviewer resolved a held receipt or a dispute (who, what changed, the totals before and after). */
  REVIEW_RESOLVED,
  /** A contested receipt line was refunded at once under the store's dispute policy. */
  REFUND_ISSUED,
  /** A person signed in, in the app, as a member of another person's party. */
  PARTY_JOINED,
  /** A person left the party they had joined. */
  PARTY_LEFT,
  /** Every person's key in the biometric vault was wrapped again under a new master key. */
  VAULT_KEY_ROTATED,
  /**
   * A visit's raw credential (payment token) was replaced by the person's keyed subject in the payment records and
   * receipts once its retention ended.
   */
  CREDENTIAL_ERASED,
  /**
   * A visit's records kept elsewhere (its cart ledger, the input journal's sealed credential) were deleted with its
   * payment records' retention, or when the visit was closed unsettled.
   */
  RECORDS_DELETED,
  /** A visit never settled (a review never resolved) was closed past the store's limit: nothing was charged. */
  VISIT_CLOSED
}
