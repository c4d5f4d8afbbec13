package dev.jwo.compliance.visit;

import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.Disclosure;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.evidence.CaptureLog;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.retention.StoragePurge;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.VisitListener;
import dev.jwo.compliance.keys.Subjects;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/**
 * Runs first in the pipeline ({@link PipelineStage#SESSIONS}) and listens to visits:
 *
 * <ul>
 *   <li>publishes the store's documents (and records the policy set) at the first event, before any capture;
 *   <li>counts what entries say about consent: an entry's {@code consent} field only refers to a release; it never
 *       creates one (releases are recorded only through the consent API, with the signer's evidence and the
 *       server's time). An entry naming a version the payer holds no valid release of is counted, not believed;
 *   <li>when a visit ends, marks the purpose of its biometric data satisfied and destroys what is then due;
 *   <li>destroys whatever falls due as event time advances, so a replay destroys on the store's clock and a
 *       restarted server destroys what fell due while it was down at its first event;
 *   <li>then has the storage purge destroyed rows from its files when a purge is due ({@link StoragePurge}).
 * </ul>
 */
@Singleton
public final class VisitCompliance implements SensorEventHandler, VisitListener {
  private final DocumentLibrary documents;
  private final ConsentLedger ledger;
  private final RetentionSchedule retention;
  private final BiometricVault vault;
  private final CaptureLog captures;
  private final Clock clock;
  private final Subjects subjects;
  private final StoragePurge purge;
  private long eventTime = Long.MIN_VALUE;
  private boolean published;
  private long named;
  private long covering;
  private long unknown;

  @Inject
  public VisitCompliance(
      DocumentLibrary documents, ConsentLedger ledger, RetentionSchedule retention, BiometricVault vault,
      CaptureLog captures, Subjects subjects, StoragePurge purge, Clock clock) {
    this.subjects = subjects;
    this.purge = purge;
    this.documents = documents;
    this.ledger = ledger;
    this.retention = retention;
    this.vault = vault;
    this.captures = captures;
    this.clock = clock;
  }

  @Override
  public PipelineStage stage() {
    return PipelineStage.SESSIONS;
  }

  @Override
  public void onEvent(SensorEvent event) {
    advance(event.ts());
  }

  @Override
  public void onTimeAdvanced(long ts) {
    advance(ts);
  }

  @Override
  public void onEndOfStream(long ts) {
    advance(ts);
  }

  /** Consents, retention and destructions are kept in storage; only the summary counts start again. */
  @Override
  public long needsInputSince(long ts) {
    return ts;
  }

  /** The store's event time: the latest the pipeline reached, or the clock's time before any event. */
  public synchronized long now() {
    return eventTime == Long.MIN_VALUE ? clock.millis() : eventTime;
  }

  /** Publishes the documents if not yet done, at {@code ts}. */
  public synchronized void ensurePublished(long ts) {
    if (!published) {
      documents.publishAll(ts);
      published = true;
    }
  }

  /** What entries said about consent so far. */
  public synchronized EntryConsents entryConsents() {
    return new EntryConsents(named, covering, unknown);
  }

  @Override
  public synchronized void visitStarted(Admission admission) {
    ensurePublished(admission.ts());
    String version = admission.consentVersion();
    if (version == null || version.isBlank()) {
      return;
    }
    named++;
    Optional<Disclosure> disclosure = documents.disclosure(version);
    if (disclosure.isEmpty()) {
      unknown++;
      return;
    }
    String subject = subjects.of(admission.credential());
    boolean covered = ledger.consents(subject).stream().anyMatch(c -> c.disclosureVersion().equals(version)
        && c.signedTs() <= admission.ts() && admission.ts() < c.validUntilTs());
    if (covered) {
      covering++;
    }
  }

  @Override
  public synchronized void visitEnded(Admission admission, long exitTs) {
    String visit = admission.visitId().value();
    retention.purposeSatisfied(visit, exitTs);
    destroyDue(Math.max(exitTs, eventTime));
    captures.forgetVisit(visit);
  }

  private synchronized void advance(long ts) {
    if (ts > eventTime) {
      eventTime = ts;
    }
    ensurePublished(ts);
    if (!retention.due(ts).isEmpty()) {
      destroyDue(ts);
    }
    purge.purgeIfDue();
  }

  private void destroyDue(long ts) {
    if (!vault.destroyDue(ts).isEmpty()) {
      purge.destroyed();
    }
  }
}
