package dev.jwo.cart.grpc;

import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.v1.AdmitPartyRequest;
import dev.jwo.cart.v1.AdmitPartyResponse;
import dev.jwo.cart.v1.GetSessionRequest;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.core.Credential;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.pipeline.Rejection;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.visit.Admission;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/**
 * Admits parties as a gate scanner would (the entry goes through the pipeline like any sensor event) and tells
 * where a visit stands.
 */
@Singleton
public final class SessionGrpcService extends SessionServiceGrpc.SessionServiceImplBase {
  private final StoreLayout layout;
  private final StorePipeline pipeline;
  private final SessionRegistry sessions;
  private final CartWatchers watchers;
  private final Clock clock;

  @Inject
  public SessionGrpcService(
      StoreLayout layout, StorePipeline pipeline, SessionRegistry sessions, CartWatchers watchers, Clock clock) {
    this.layout = layout;
    this.pipeline = pipeline;
    this.sessions = sessions;
    this.watchers = watchers;
    this.clock = clock;
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
    long now = clock.millis();
    EntryEvent entry = new EntryEvent(now, gate.id(), Credential.of(request.getCredential()), request.getPartySize(),
        request.getConsentVersion().isEmpty() ? null : request.getConsentVersion());
    Optional<Rejection> rejection = pipeline.submit(entry);
    if (rejection.isPresent()) {
      throw Status.FAILED_PRECONDITION
          .withDescription("the entry was not accepted: " + rejection.get().message())
          .asRuntimeException();
    }
    VisitId visit = Admission.from(entry).visitId();
    watchers.expect(visit);
    response.onNext(AdmitPartyResponse.newBuilder().setVisitId(visit.value()).setAdmittedAtMs(now).build());
    response.onCompleted();
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
