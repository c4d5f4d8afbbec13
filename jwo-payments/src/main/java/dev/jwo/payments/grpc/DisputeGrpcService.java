package dev.jwo.payments.grpc;

import dev.jwo.core.VisitId;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.payments.review.Disputes;
import dev.jwo.payments.v1.ContestReceiptLineRequest;
import dev.jwo.payments.v1.ContestReceiptLineResponse;
import dev.jwo.payments.v1.DisputeServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import dev.jwo.compliance.keys.Subjects;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Serves {@link Disputes}: shoppers contest receipt lines. */
@Singleton
public final class DisputeGrpcService extends DisputeServiceGrpc.DisputeServiceImplBase {
  private final Disputes disputes;
  private final Subjects subjects;

  @Inject
  public DisputeGrpcService(Disputes disputes, Subjects subjects) {
    this.subjects = subjects;
    this.disputes = disputes;
  }

  @Override
  public void contestReceiptLine(
      ContestReceiptLineRequest request, StreamObserver<ContestReceiptLineResponse> response) {
    if (request.getVisitId().isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("visit_id is required").asRuntimeException();
    }
    if (request.getReceiptVersion() < 0) {
      throw Status.INVALID_ARGUMENT.withDescription("receipt_version must not be negative").asRuntimeException();
    }
    Disputes.Contest contest = ReviewGrpcService.call(() -> disputes.contest(VisitId.of(request.getVisitId()),
        request.getReceiptVersion(), request.getLineIndex(), request.getQuantity(), request.getReason(),
        request.getNote()));
    response.onNext(ContestReceiptLineResponse.newBuilder()
        .setOutcome(ContestReceiptLineResponse.Outcome.valueOf(contest.outcome().name()))
        .setDisputeId(contest.disputeId())
        .setAmount(SensorEventProtos.toProto(contest.amount()))
        .setReceipt(ReceiptGrpcService.toProto(contest.receipt(), subjects))
        .build());
    response.onCompleted();
  }
}
