package dev.jwo.cart.grpc;

import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.v1.AdmitPartyRequest;
import dev.jwo.cart.v1.AdmitPartyResponse;
import dev.jwo.cart.v1.CancelEntryRequest;
import dev.jwo.cart.v1.CancelEntryResponse;
import dev.jwo.cart.v1.EntryHold;
import dev.jwo.cart.v1.EntryRefusal;
import dev.jwo.cart.v1.GetSessionRequest;
import dev.jwo.cart.v1.RequestEntryRequest;
import dev.jwo.cart.v1.RequestEntryResponse;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Money;
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
import dev.jwo.core.visit.AdmissionDecision;
import dev.jwo.core.visit.AdmissionHold;
import dev.jwo.core.visit.AdmissionRefusedException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Admits parties as a gate scanner would and tells where a visit stands. An admission is journaled with the
 * store's sensor input (see {@link IngestLog#admit}), stamped with the store's event time, and goes through the
 * pipeline like any entry scan, so it survives a crash and the party-size limit applies to it. Before that, the
 * store's {@link AdmissionHold} places the hold on the credential's card: a party it refuses is never admitted
 * ({@code FAILED_PRECONDITION} for a declined card, {@code UNAVAILABLE} when the processor could not be reached and
 * the store does not admit without a hold). A gate scanner that reports its entries on the sensor stream asks the
 * same question first ({@code RequestEntry}), and the visit its entry starts takes the hold over. Both answers say
 * what was done about the hold ({@link EntryHold}); a refusal carries it in its trailers ({@link #REFUSAL}).
 */
@Singleton
public final class SessionGrpcService extends SessionServiceGrpc.SessionServiceImplBase {
  /** The trailer of a refused admission or entry request that says why, as an {@link EntryHold}. */
  public static final Metadata.Key<EntryRefusal> REFUSAL = ProtoUtils.keyForProto(EntryRefusal.getDefaultInstance());

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
    requiredCredential(request.getCredential());
    if (request.getPartySize() < 1) {
      throw Status.INVALID_ARGUMENT
          .withDescription("party_size must be at least 1, was " + request.getPartySize())
          .asRuntimeException();
    }
    Gate gate = entryGate(request.getGate());
    Credential credential = Credential.of(request.getCredential());
    AdmissionDecision decision = beforeAdmission(gate, credential);
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
        AdmitPartyResponse.Builder answer = AdmitPartyResponse.newBuilder().setVisitId(visit.value())
            .setAdmittedAtMs(entry.ts()).setHold(hold(decision));
        Money cap = decision.offlineCap();
        if (cap != null) {
          answer.setOfflineCap(SensorEventProtos.toProto(cap));
        }
        response.onNext(answer.build());
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
  public void requestEntry(RequestEntryRequest request, StreamObserver<RequestEntryResponse> response) {
    Credential credential = requiredCredential(request.getCredential());
    AdmissionDecision decision = beforeAdmission(entryGate(request.getGate()), credential);
    RequestEntryResponse.Builder answer = RequestEntryResponse.newBuilder().setHold(hold(decision));
    Money cap = decision.offlineCap();
    if (cap != null) {
      answer.setOfflineCap(SensorEventProtos.toProto(cap));
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void cancelEntry(CancelEntryRequest request, StreamObserver<CancelEntryResponse> response) {
    Credential credential = requiredCredential(request.getCredential());
    holds.notAdmitted(entryGate(request.getGate()).id(), credential);
    response.onNext(CancelEntryResponse.getDefaultInstance());
    response.onCompleted();
  }

  /**
   * Asks the store's {@link AdmissionHold} whether the gate may open; a refusal becomes the status a gate acts on,
   * with why in its trailers ({@link #REFUSAL}).
   */
  private AdmissionDecision beforeAdmission(Gate gate, Credential credential) {
    try {
      return holds.beforeAdmission(gate.id(), credential);
    } catch (AdmissionRefusedException e) {
      Metadata trailers = new Metadata();
      trailers.put(REFUSAL, EntryRefusal.newBuilder().setHold(switch (e.reason()) {
        case DECLINED -> EntryHold.DECLINED;
        case REFUSED -> EntryHold.REFUSED;
        case TRY_AGAIN -> EntryHold.TRY_AGAIN;
      }).build());
      throw (e.isRetriable() ? Status.UNAVAILABLE : Status.FAILED_PRECONDITION)
          .withDescription("the party was not admitted: " + e.getMessage()).asRuntimeException(trailers);
    }
  }

  private static EntryHold hold(AdmissionDecision decision) {
    return switch (decision.kind()) {
      case HOLD_PLACED -> EntryHold.HOLD_PLACED;
      case HOLD_PLACED_EARLIER -> EntryHold.HOLD_PLACED_EARLIER;
      case WITHOUT_HOLD -> EntryHold.ADMITTED_WITHOUT_HOLD;
      case NOT_NEEDED -> EntryHold.NO_HOLD_NEEDED;
    };
  }

  private static Credential requiredCredential(String credential) {
    if (credential.isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("credential is required").asRuntimeException();
    }
    return Credential.of(credential);
  }

  /** The store's entry gate named {@code id}: INVALID_ARGUMENT, NOT_FOUND or FAILED_PRECONDITION if it is none. */
  private Gate entryGate(String id) {
    if (id.isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("gate is required").asRuntimeException();
    }
    Gate gate = layout.gate(GateId.of(id))
        .orElseThrow(() -> Status.NOT_FOUND
            .withDescription("store " + layout.storeId() + " has no gate '" + id + "'")
            .asRuntimeException());
    if (gate.kind() != GateKind.ENTRY) {
      throw Status.FAILED_PRECONDITION
          .withDescription("gate '" + gate.id() + "' is an exit gate; admit parties at an entry gate")
          .asRuntimeException();
    }
    return gate;
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
