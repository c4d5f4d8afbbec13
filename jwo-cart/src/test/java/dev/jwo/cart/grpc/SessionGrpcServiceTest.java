package dev.jwo.cart.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwo.cart.v1.AdmitPartyRequest;
import dev.jwo.cart.v1.AdmitPartyResponse;
import dev.jwo.cart.v1.GetSessionRequest;
import dev.jwo.cart.v1.Session;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.Admission;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionGrpcServiceTest {
  private CartServer store;
  private SessionServiceGrpc.SessionServiceBlockingStub sessions;

  @BeforeEach
  void start() {
    store = new CartServer();
    sessions = SessionServiceGrpc.newBlockingStub(store.channel);
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void admittingAPartyOpensAVisitNamedWithoutTheCredential() {
    AdmitPartyResponse admitted = sessions.admitParty(admit("in-1", "tok_4242424242", 2)
        .setConsentVersion("bio-2026-01").build());

    assertThat(admitted.getVisitId())
        .isEqualTo(Admission.visitIdFor(dev.jwo.core.GateId.of("in-1"), CartServer.NOW).value())
        .doesNotContain("4242424242")
        // nor the first 12 hex digits of SHA-256(credential), which visit ids used to end in
        .doesNotContain(dev.jwo.compliance.internal.Canonical.sha256Hex("tok_4242424242").substring(0, 12));
    assertThat(admitted.getAdmittedAtMs()).isEqualTo(CartServer.NOW);

    Session session = sessions.getSession(GetSessionRequest.newBuilder().setVisitId(admitted.getVisitId()).build());
    assertThat(session.getVisitId()).isEqualTo(admitted.getVisitId());
    assertThat(session.getState()).isEqualTo(Session.State.ADMITTED);
    assertThat(session.getPartySize()).isEqualTo(2);
    assertThat(session.getEntryTsMs()).isEqualTo(CartServer.NOW);
    assertThat(session.getExitTsMs()).isZero();
    assertThat(session.getDoubtsList()).isEmpty();
  }

  @Test
  void aPartyOfNoneIsAnInvalidArgument() {
    assertStatus(() -> sessions.admitParty(admit("in-1", "c-1", 0).build()),
        Status.Code.INVALID_ARGUMENT, "party_size must be at least 1, was 0");
  }

  @Test
  void aMissingCredentialIsAnInvalidArgument() {
    assertStatus(() -> sessions.admitParty(admit("in-1", " ", 1).build()),
        Status.Code.INVALID_ARGUMENT, "credential is required");
    assertStatus(() -> sessions.admitParty(admit("", "c-1", 1).build()),
        Status.Code.INVALID_ARGUMENT, "gate is required");
  }

  @Test
  void anUnknownGateIsNotFound() {
    assertStatus(() -> sessions.admitParty(admit("in-7", "c-1", 1).build()),
        Status.Code.NOT_FOUND, "store cart-1 has no gate 'in-7'");
  }

  @Test
  void admittingAtAnExitGateIsAFailedPrecondition() {
    assertStatus(() -> sessions.admitParty(admit("out-1", "c-1", 1).build()),
        Status.Code.FAILED_PRECONDITION, "'out-1' is an exit gate");
  }

  @Test
  void anEntryThePipelineRefusesIsAFailedPrecondition() {
    assertStatus(() -> sessions.admitParty(admit("in-1", "c-1", 10_000).build()),
        Status.Code.FAILED_PRECONDITION, "the entry was not accepted");
  }

  @Test
  void twoPartiesAdmittedAtOneGateInOneInstantGetVisitsOfTheirOwn() {
    String first = sessions.admitParty(admit("in-1", "c-1", 1).build()).getVisitId();
    String second = sessions.admitParty(admit("in-1", "c-2", 1).build()).getVisitId();

    assertThat(second).isNotEqualTo(first);
    assertThat(store.get(SessionRegistry.class).session(VisitId.of(second))).hasValueSatisfying(
        s -> assertThat(s.admission().credential()).isEqualTo(Credential.of("c-2")));
  }

  @Test
  void anUnknownVisitIsNotFound() {
    assertStatus(() -> sessions.getSession(GetSessionRequest.newBuilder().setVisitId("v-404").build()),
        Status.Code.NOT_FOUND, "no visit 'v-404'");
    assertStatus(() -> sessions.getSession(GetSessionRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT, "visit_id is required");
  }

  static void assertStatus(Runnable call, Status.Code code, String description) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("expected %s", code).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).contains(description);
  }

  private static AdmitPartyRequest.Builder admit(String gate, String credential, int party) {
    return AdmitPartyRequest.newBuilder().setGate(gate).setCredential(credential).setPartySize(party);
  }
}
