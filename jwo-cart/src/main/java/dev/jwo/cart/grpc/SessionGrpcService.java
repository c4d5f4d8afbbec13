package dev.jwo.cart.grpc;

import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.v1.AdmitPartyRequest;
import dev.jwo.cart.v1.AdmitPartyResponse;
import dev.jwo.cart.v1.GetSessionRequest;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.Credential;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.AdmissionHold;
import dev.jwo.core.visit.AdmissionRefusedException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Admits parties as a gate scanner would and tells where a visit stands. An admission is journaled with the
 * store's sensor input (see {@link IngestLog#admit}), stamped with the store's event time, and goes through the
 * pipeline like any entry scan, so it survives a crash and the party-size limit applies to it. Before that, the
 * store's {@link AdmissionHold} places the hold on the credential's card: a party it refuses is never admitted
 * ({@code FAILED_PRECONDITION} for a declined card, {@code UNAVAILABLE} when the processor could not be reached and
 * the store does not admit without a hold).
 */
@Singleton
public final class SessionGrpcService extends SessionServiceGrpc.SessionServiceImplBase {
  private final StoreLayout layout;
  private final IngestLog ingestLog;
  private final SessionRegistry sessions;
  private final CartWatchers watchers;
  private final AdmissionHold holds;

  @Inject
  public SessionGrpcService(StoreLayout layout, IngestLog ingestLog, SessionRegistry sessions, CartWatchers watchers,
      AdmissionHold holds) {
    this.layout = layout;
    this.ingestLog = ingestLog;
    this.sessions = sessions;
    this.watchers = watchers;
    this.holds = holds;
  }

  @Override
  public void admitParty(AdmitPartyRequest request, StreamObserver<AdmitPartyResponse> response) {
    if (request.getCredential().isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("credential is required").asRuntimeException();
    }
    if (request.getPartySize() < 1) {
      throw Status.INVALID_ARGUMENT
          .withDescription("party_size must be at least 1, was " + request.getPartySize())
          .asRuntimeException();
    }
    if (request.getGate().isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("gate is required").asRuntimeException();
    }
    Gate gate = layout.gate(GateId.of(request.getGate()))
        .orElseThrow(() -> Status.NOT_FOUND
            .withDescription("store " + layout.storeId() + " has no gate '" + request.getGate() + "'")
            .asRuntimeException());
    if (gate.kind() != GateKind.ENTRY) {
      throw Status.FAILED_PRECONDITION
          .withDescription("gate '" + gate.id() + "' is an exit gate; admit parties at an entry gate")
          .asRuntimeException();
    }
    Credential credential = Credential.of(request.getCredential());
    try {
      holds.beforeAdmission(gate.id(), credential);
    } catch (AdmissionRefusedException e) {
      throw (e.isRetriable() ? Status.UNAVAILABLE : Status.FAILED_PRECONDITION)
          .withDescription("the party was not admitted: " + e.getMessage()).asRuntimeException();
    }
    EntryScan.Builder scan = EntryScan.newBuilder()
        .setGate(gate.id().value())
        .setCredential(request.getCredential())
        .setPartySize(request.getPartySize())
        .setConsentVersion(request.getConsentVersion());
    try {
      ingestLog.admit(SensorEventMessage.newBuilder().setEntry(scan).build(), admitted -> {
        IngestAck ack = admitted.ack();
        if (ack.getOutcome() != IngestAck.Outcome.ACCEPTED) {
          holds.notAdmitted(gate.id(), credential);
          response.onError(Status.FAILED_PRECONDITION
              .withDescription("the entry was not accepted: " + ack.getMessage())
              .asRuntimeException());
          return;
        }
        EntryEvent entry = (EntryEvent) SensorEventProtos.fromProto(admitted.message());
        VisitId visit = Admission.from(entry).visitId();
        watchers.expect(visit, entry.credential());
        response.onNext(AdmitPartyResponse.newBuilder().setVisitId(visit.value()).setAdmittedAtMs(entry.ts()).build());
        response.onCompleted();
      }, failure -> {
        holds.notAdmitted(gate.id(), credential);
        response.onError(Status.UNAVAILABLE
            .withDescription("the admission could not be recorded (" + failure.getMessage() + "); admit again")
            .asRuntimeException());
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      holds.notAdmitted(gate.id(), credential);
      throw Status.UNAVAILABLE.withDescription("the store is shutting down").asRuntimeException();
    } catch (IllegalStateException e) {
      holds.notAdmitted(gate.id(), credential);
      throw Status.UNAVAILABLE.withDescription("the store is shutting down").asRuntimeException();
    }
  }

  @Override
  public void getSession(GetSessionRequest request, StreamObserver<dev.jwo.cart.v1.Session> response) {
    VisitId visit = CartGrpcService.visitId(request.getVisitId());
    response.onNext(CartProtos.toProto(sessions.session(visit)
        .orElseThrow(() -> Status.NOT_FOUND
            .withDescription("no visit '" + visit + "' in this store (it may not be processed yet)")
            .asRuntimeException())));
    response.onCompleted();
  }
}
