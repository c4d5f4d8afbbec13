package dev.jwo.payments.grpc;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.export.ExportChannel;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.compliance.export.ExportGuard;
import dev.jwo.core.Credential;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.visit.LineItem;
import dev.jwo.payments.ItemizedReceipt;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.ReceiptVersion;
import dev.jwo.payments.TaxTable;
import dev.jwo.payments.render.ReceiptRenderer;
import dev.jwo.payments.v1.GetReceiptRequest;
import dev.jwo.payments.v1.ListReceiptsRequest;
import dev.jwo.payments.v1.ListReceiptVersionsRequest;
import dev.jwo.payments.v1.ListReceiptVersionsResponse;
import dev.jwo.payments.v1.ListReceiptsResponse;
import dev.jwo.payments.v1.ReceiptLine;
import dev.jwo.payments.v1.ReceiptServiceGrpc;
import dev.jwo.payments.v1.RenderReceiptRequest;
import dev.jwo.payments.v1.RenderedReceipt;
import dev.jwo.payments.v1.Status;
import io.grpc.stub.StreamObserver;
import dev.jwo.compliance.keys.Subjects;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Serves receipts: one by visit, or all in the order they were decided, page by page. Every answer passes the
 * export guard first ({@link ExportChannels#RECEIPTS} for one visit's, {@link ExportChannels#BACK_OFFICE} for the
 * list) and carries purchases and a credential pseudonym only, never the credential or biometric data; a refusal
 * is {@code PERMISSION_DENIED} with the guard's reason and audit record.
 */
@Singleton
public final class ReceiptGrpcService extends ReceiptServiceGrpc.ReceiptServiceImplBase {
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 500;

  private final ReceiptBook receipts;
  private final StoreLayout layout;
  private final ExportGuard exports;
  private final Clock clock;
  private final Subjects subjects;

  @Inject
  public ReceiptGrpcService(ReceiptBook receipts, StoreLayout layout, ExportGuard exports, Clock clock,
      Subjects subjects) {
    this.subjects = subjects;
    this.receipts = receipts;
    this.layout = layout;
    this.exports = exports;
    this.clock = clock;
  }

  /**
   * Asks the export guard to let receipts out by {@code channel}: of the person who presented {@code credential},
   * or of many people when it is null.
   */
  private void guard(ExportChannel channel, @Nullable Credential credential, String reference) {
    exports.requireForCall(channel, EnumSet.of(DataCategory.PURCHASE), credential, reference, clock.millis());
  }

  @Override
  public void getReceipt(GetReceiptRequest request, StreamObserver<dev.jwo.payments.v1.Receipt> response) {
    response.onNext(toProto(version(request.getVisitId(), request.getVersion()), subjects));
    response.onCompleted();
  }

  @Override
  public void renderReceipt(RenderReceiptRequest request, StreamObserver<RenderedReceipt> response) {
    ReceiptRenderer.Format format = switch (request.getFormat()) {
      case JSON -> ReceiptRenderer.Format.JSON;
      case TEXT -> ReceiptRenderer.Format.TEXT;
      case HTML -> ReceiptRenderer.Format.HTML;
      default -> throw io.grpc.Status.INVALID_ARGUMENT.withDescription("format is required: JSON, TEXT or HTML")
          .asRuntimeException();
    };
    ReceiptVersion version = version(request.getVisitId(), request.getVersion());
    ItemizedReceipt itemized;
    try {
      itemized = ItemizedReceipt.of(version, layout, receipts.taxes());
    } catch (IllegalArgumentException e) {
      throw io.grpc.Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
    }
    response.onNext(RenderedReceipt.newBuilder().setContentType(format.contentType())
        .setBody(ReceiptRenderer.render(itemized, format)).build());
    response.onCompleted();
  }

  /** The visit's receipt at {@code version} (0 for the current one), or the call's error. */
  private ReceiptVersion version(String visitId, int requested) {
    if (visitId.isBlank()) {
      throw io.grpc.Status.INVALID_ARGUMENT.withDescription("visit_id is required").asRuntimeException();
    }
    if (requested < 0) {
      throw io.grpc.Status.INVALID_ARGUMENT.withDescription("version must not be negative").asRuntimeException();
    }
    VisitId visit = VisitId.of(visitId);
    ReceiptVersion current = receipts.current(visit).orElseThrow(() -> noReceipt(visit));
    guard(ExportChannels.RECEIPTS, current.receipt().credential(),
        visit + "/receipt/" + (requested == 0 ? current.version() : requested));
    if (requested == 0 || requested == current.version()) {
      return current;
    }
    return receipts.history(visit).stream().filter(v -> v.version() == requested)
        .findFirst().orElseThrow(() -> io.grpc.Status.NOT_FOUND.withDescription("visit '" + visit
            + "' has no receipt version " + requested + "; the current one is " + current.version())
            .asRuntimeException());
  }

  @Override
  public void listReceiptVersions(
      ListReceiptVersionsRequest request, StreamObserver<ListReceiptVersionsResponse> response) {
    if (request.getVisitId().isBlank()) {
      throw io.grpc.Status.INVALID_ARGUMENT.withDescription("visit_id is required").asRuntimeException();
    }
    VisitId visit = VisitId.of(request.getVisitId());
    List<ReceiptVersion> history = receipts.history(visit);
    if (history.isEmpty()) {
      throw noReceipt(visit);
    }
    guard(ExportChannels.RECEIPTS, history.get(0).receipt().credential(), visit + "/receipt-versions");
    ListReceiptVersionsResponse.Builder b = ListReceiptVersionsResponse.newBuilder();
    history.forEach(v -> b.addVersions(toProto(v, subjects)));
    response.onNext(b.build());
    response.onCompleted();
  }

  private static io.grpc.StatusRuntimeException noReceipt(VisitId visit) {
    return io.grpc.Status.NOT_FOUND
        .withDescription("visit '" + visit + "' has no receipt yet (it is decided after the party has left)")
        .asRuntimeException();
  }

  @Override
  public void listReceipts(ListReceiptsRequest request, StreamObserver<ListReceiptsResponse> response) {
    if (request.getPageSize() < 0 || request.getPageSize() > MAX_PAGE) {
      throw io.grpc.Status.INVALID_ARGUMENT
          .withDescription("page_size must be between 0 and " + MAX_PAGE + ", was " + request.getPageSize())
          .asRuntimeException();
    }
    if (request.getStatus() == Status.UNRECOGNIZED) {
      throw io.grpc.Status.INVALID_ARGUMENT
          .withDescription("status " + request.getStatusValue() + " is not a receipt status")
          .asRuntimeException();
    }
    int size = request.getPageSize() == 0 ? DEFAULT_PAGE : request.getPageSize();
    int offset = offset(request.getPageToken());
    List<Receipt> matching = receipts.all().stream()
        .filter(r -> request.getStatus() == Status.STATUS_UNSPECIFIED
            || r.status() == ReceiptStatus.valueOf(request.getStatus().name()))
        .toList();
    guard(ExportChannels.BACK_OFFICE, null, "receipts " + request.getStatus().name().toLowerCase(Locale.ROOT)
        + " from " + offset + " by " + size);
    ListReceiptsResponse.Builder page = ListReceiptsResponse.newBuilder();
    int end = Math.min(matching.size(), offset + size);
    for (int i = Math.min(offset, end); i < end; i++) {
      Receipt receipt = matching.get(i);
      page.addReceipts(receipts.current(receipt.visitId()).map(v -> toProto(v, subjects))
          .orElseGet(() -> toProto(receipt, subjects)));
    }
    if (end < matching.size()) {
      page.setNextPageToken(token(end));
    }
    response.onNext(page.build());
    response.onCompleted();
  }

  /** The receipt as served: the person is named by their keyed subject, never by the credential. */
  static dev.jwo.payments.v1.Receipt toProto(ReceiptVersion version, Subjects subjects) {
    return toProto(version.receipt(), subjects).toBuilder().setVersion(version.version())
        .setAmendment(version.amendment()).build();
  }

  static dev.jwo.payments.v1.Receipt toProto(Receipt receipt, Subjects subjects) {
    Money subtotal = TaxTable.subtotal(receipt.items(), Money.zero(receipt.total().currency()));
    dev.jwo.payments.v1.Receipt.Builder b = dev.jwo.payments.v1.Receipt.newBuilder()
        .setVisitId(receipt.visitId().value())
        .setCredentialPseudonym(subjects.of(receipt.credential()))
        .setStatus(Status.valueOf(receipt.status().name()))
        .setTotal(SensorEventProtos.toProto(receipt.total()))
        .setSubtotal(SensorEventProtos.toProto(subtotal))
        .setTax(SensorEventProtos.toProto(receipt.total().minus(subtotal)))
        .setFinalizedTsMs(receipt.finalizedTs())
        .addAllReasons(receipt.reasons());
    if (receipt.exitTs() != null) {
      b.setExitTsMs(receipt.exitTs());
    }
    for (LineItem item : receipt.items()) {
      b.addLines(ReceiptLine.newBuilder()
          .setSku(item.sku().value())
          .setQuantity(item.quantity())
          .setUnitPrice(SensorEventProtos.toProto(item.unitPrice()))
          .setAmount(SensorEventProtos.toProto(item.amount())));
    }
    return b.build();
  }

  private static String token(int offset) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int offset(String token) {
    if (token.isEmpty()) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (!text.startsWith("offset:")) {
        throw new IllegalArgumentException("not a page token");
      }
      int offset = Integer.parseInt(text.substring("offset:".length()));
      if (offset < 0) {
        throw new IllegalArgumentException("negative offset");
      }
      return offset;
    } catch (IllegalArgumentException e) {
      throw io.grpc.Status.INVALID_ARGUMENT
          .withDescription("page_token is not one this service issued; pass next_page_token from a previous page")
          .asRuntimeException();
    }
  }
}
