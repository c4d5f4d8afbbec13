package dev.jwo.payments.grpc;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.compliance.export.ExportGuard;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.security.Caller;
import dev.jwo.payments.ReceiptVersion;
import dev.jwo.payments.review.ReviewDesk;
import dev.jwo.payments.review.ReviewException;
import dev.jwo.payments.v1.ClaimReviewRequest;
import dev.jwo.payments.v1.ContestReason;
import dev.jwo.payments.v1.Dispute;
import dev.jwo.payments.v1.GetReviewRequest;
import dev.jwo.payments.v1.ListPendingReviewsRequest;
import dev.jwo.payments.v1.ListPendingReviewsResponse;
import dev.jwo.payments.v1.ResolveReviewRequest;
import dev.jwo.payments.v1.ResolveReviewResponse;
import dev.jwo.payments.v1.ReviewCase;
import dev.jwo.payments.v1.ReviewKind;
import dev.jwo.payments.v1.ReviewServiceGrpc;
import dev.jwo.payments.v1.StoredReviewCase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.payments.ReceiptBook;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Serves the {@link ReviewDesk}: pending cases with their evidence, claims under a lease, resolutions. A case
 * carries a held receipt's purchases and evidence naming tracks and shelf events by id, so every answer passes the
 * export guard first by {@link ExportChannels#REVIEW_DESK} (about the case's shopper, or about many for the list),
 * before any claim or resolution is made; a refusal is {@code PERMISSION_DENIED} with the guard's reason and
 * audit record. No biometric data is in a case.
 */
@Singleton
public final class ReviewGrpcService extends ReviewServiceGrpc.ReviewServiceImplBase {
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 500;
  /** What a review case carries out: purchases, and location tracks by id in its evidence. */
  static final Set<DataCategory> CARRIES = EnumSet.of(DataCategory.PURCHASE, DataCategory.LOCATION_TRACK);

  private final ReviewDesk desk;
  private final ExportGuard exports;
  private final Subjects subjects;
  private final ReceiptBook receipts;

  @Inject
  public ReviewGrpcService(ReviewDesk desk, ExportGuard exports, Subjects subjects, ReceiptBook receipts) {
    this.receipts = receipts;
    this.subjects = subjects;
    this.desk = desk;
    this.exports = exports;
  }

  /** Asks the export guard to let {@code visit}'s case (about its receipt's shopper) out to the reviewers. */
  private void guard(VisitId visit, String what) {
    @Nullable Credential shopper = desk.receipt(visit).map(v -> v.receipt().credential()).orElse(null);
    exports.requireForCall(ExportChannels.REVIEW_DESK, CARRIES, shopper, visit + "/review/" + what, desk.nowMs());
  }

  @Override
  public void listPendingReviews(
      ListPendingReviewsRequest request, StreamObserver<ListPendingReviewsResponse> response) {
    if (request.getPageSize() < 0 || request.getPageSize() > MAX_PAGE) {
      throw Status.INVALID_ARGUMENT.withDescription("page_size must be between 0 and " + MAX_PAGE + ", was "
          + request.getPageSize()).asRuntimeException();
    }
    if (request.getMinAgeSeconds() < 0 || request.getKind() == ReviewKind.UNRECOGNIZED) {
      throw Status.INVALID_ARGUMENT.withDescription("min_age_seconds must not be negative and kind must be a"
          + " review kind").asRuntimeException();
    }
    int size = request.getPageSize() == 0 ? DEFAULT_PAGE : request.getPageSize();
    long now = desk.nowMs();
    exports.requireForCall(ExportChannels.REVIEW_DESK, CARRIES, null, "pending reviews by " + size, now);
    String text = request.getReasonContains().toLowerCase(Locale.ROOT);
    List<StoredReviewCase> open = desk.open();
    ListPendingReviewsResponse.Builder page = ListPendingReviewsResponse.newBuilder().setTotalPending(open.size());
    for (StoredReviewCase c : open) {
      if (page.getCasesCount() >= size) {
        break;
      }
      if ((now - c.getOpenedAtMs()) / 1000 < request.getMinAgeSeconds()
          || (request.getKind() != ReviewKind.REVIEW_KIND_UNSPECIFIED && c.getKind() != request.getKind())
          || (!request.getIncludeClaimed() && !c.getClaimedBy().isEmpty() && c.getLeaseUntilMs() > now)) {
        continue;
      }
      ReviewCase view = toProto(c, now, false);
      if (!text.isEmpty() && view.getReasonsList().stream()
          .noneMatch(r -> r.toLowerCase(Locale.ROOT).contains(text))) {
        continue;
      }
      page.addCases(view);
    }
    response.onNext(page.build());
    response.onCompleted();
  }

  @Override
  public void getReview(GetReviewRequest request, StreamObserver<ReviewCase> response) {
    VisitId visit = visit(request.getVisitId());
    StoredReviewCase c = call(() -> desk.get(visit).orElseThrow(() -> Status.NOT_FOUND
        .withDescription("visit " + visit + " has no review case").asRuntimeException()));
    guard(visit, "case");
    response.onNext(toProto(c, desk.nowMs(), false));
    response.onCompleted();
  }

  @Override
  public void claimReview(ClaimReviewRequest request, StreamObserver<ReviewCase> response) {
    VisitId visit = visit(request.getVisitId());
    if (request.getLeaseSeconds() < 0 || request.getLeaseSeconds() > 3_600) {
      throw Status.INVALID_ARGUMENT.withDescription("lease_seconds must be between 1 and 3600 (0 for 900)")
          .asRuntimeException();
    }
    Duration lease = request.getLeaseSeconds() == 0 ? Duration.ofMinutes(15)
        : Duration.ofSeconds(request.getLeaseSeconds());
    String reviewer = reviewer(request.getReviewer());
    guard(visit, "claim");
    StoredReviewCase claimed = call(() -> desk.claim(visit, reviewer, lease));
    response.onNext(toProto(claimed, desk.nowMs(), true));
    response.onCompleted();
  }

  @Override
  public void resolveReview(ResolveReviewRequest request, StreamObserver<ResolveReviewResponse> response) {
    ResolveReviewRequest asCaller = request.toBuilder().setReviewer(reviewer(request.getReviewer())).build();
    guard(visit(request.getVisitId()), "resolution");
    ReviewDesk.Resolution resolution = call(() -> desk.resolve(asCaller));
    response.onNext(ResolveReviewResponse.newBuilder()
        .setResolved(toProto(resolution.resolved(), desk.nowMs(), false))
        .setReceipt(ReceiptGrpcService.toProto(desk.receipt(VisitId.of(request.getVisitId()))
            .orElseThrow(), subjects))
        .build());
    response.onCompleted();
  }

  private ReviewCase toProto(StoredReviewCase c, long now, boolean withLease) {
    ReviewCase.Builder b = ReviewCase.newBuilder()
        .setVisitId(c.getVisitId())
        .setKind(c.getKind())
        .setOpenedAtMs(c.getOpenedAtMs())
        .setAgeSeconds(Math.max(0, ((c.getResolved() ? c.getResolvedAtMs() : now) - c.getOpenedAtMs()) / 1000))
        .setClaimedBy(c.getClaimedBy())
        .setLeaseUntilMs(c.getLeaseUntilMs())
        .setResolved(c.getResolved())
        .setResolvedBy(c.getResolvedBy())
        .setResolvedAtMs(c.getResolvedAtMs());
    if (withLease) {
      b.setLeaseId(c.getLeaseId());
    }
    desk.receipt(VisitId.of(c.getVisitId())).ifPresent(version -> {
      dev.jwo.payments.v1.Receipt receipt = ReceiptGrpcService.toProto(version, subjects);
      b.setCredentialPseudonym(receipt.getCredentialPseudonym())
          .addAllReasons(receipt.getReasonsList())
          .addAllLines(receipt.getLinesList())
          .setTotal(receipt.getTotal());
      if (c.getKind() == ReviewKind.DISPUTE) {
        Dispute.Builder d = Dispute.newBuilder().setDisputeId(c.getDisputeId()).setLineIndex(c.getLineIndex())
            .setQuantity(c.getQuantity()).setReason(c.getReason()).setNote(c.getNote());
        var items = version.receipt().items();
        if (c.getLineIndex() < items.size() && c.getQuantity() >= 1
            && c.getQuantity() <= items.get(c.getLineIndex()).quantity()) {
          // What the shopper was charged for the contested units, tax included (what a refund would return).
          d.setSku(items.get(c.getLineIndex()).sku().value())
              .setAmount(SensorEventProtos.toProto(receipts.amountOf(items, c.getLineIndex(), c.getQuantity())));
        }
        b.setDispute(d);
        b.addReasons("contested: " + reasonText(c.getReason()) + (c.getNote().isBlank() ? "" : " (" + c.getNote() + ")"));
      }
    });
    return b.build();
  }

  static String reasonText(ContestReason reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /**
   * The reviewer a claim or resolution is recorded under: always the authenticated caller ({@code role/subject}).
   * A request naming anybody else is refused, so nobody can act, or leave audit records, in another's name.
   */
  static String reviewer(String named) {
    Caller caller = Caller.current().orElseThrow(() -> Status.UNAUTHENTICATED
        .withDescription("the review desk needs an authenticated caller").asRuntimeException());
    if (!named.isEmpty() && !named.equals(caller.subject()) && !named.equals(caller.identity())) {
      throw Status.PERMISSION_DENIED.withDescription("reviewer '" + named + "' is not the caller ("
          + caller.identity() + "); leave reviewer empty, the desk records the authenticated caller")
          .asRuntimeException();
    }
    return caller.identity();
  }

  private static VisitId visit(String value) {
    if (value.isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("visit_id is required").asRuntimeException();
    }
    return VisitId.of(value);
  }

  /** Runs a desk call, answering its {@link ReviewException} with the matching status. */
  static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (ReviewException e) {
      Status status = switch (e.problem()) {
        case NOT_FOUND -> Status.NOT_FOUND;
        case INVALID -> Status.INVALID_ARGUMENT;
        case CONFLICT -> Status.FAILED_PRECONDITION;
      };
      throw new StatusRuntimeException(status.withDescription(e.getMessage()));
    }
  }
}
