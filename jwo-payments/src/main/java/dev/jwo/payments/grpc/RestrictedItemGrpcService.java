package dev.jwo.payments.grpc;

import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.security.Caller;
import dev.jwo.payments.restricted.RestrictedItems;
import dev.jwo.payments.v1.RecordVerifiedAgeRequest;
import dev.jwo.payments.v1.RecordVerifiedAgeResponse;
import dev.jwo.payments.v1.ResolveStaffCheckRequest;
import dev.jwo.payments.v1.RestrictedItemServiceGrpc;
import dev.jwo.payments.v1.StaffCheck;
import dev.jwo.payments.v1.WatchStaffChecksRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Predicate;

/** Serves {@link RestrictedItems}: verified ages from shoppers' apps, staff checks to staff devices. */
@Singleton
public final class RestrictedItemGrpcService extends RestrictedItemServiceGrpc.RestrictedItemServiceImplBase {
  private final RestrictedItems items;

  @Inject
  public RestrictedItemGrpcService(RestrictedItems items) {
    this.items = items;
  }

  @Override
  public void recordVerifiedAge(RecordVerifiedAgeRequest request,
      StreamObserver<RecordVerifiedAgeResponse> response) {
    VisitId visit = visit(request.getVisitId());
    Credential credential = items.credentialOf(visit).orElseThrow(() -> Status.NOT_FOUND
        .withDescription("visit " + visit + " is not in the store").asRuntimeException());
    try {
      items.recordVerifiedAge(credential, request.getVerifiedAgeYears(), request.getVerificationReference());
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    response.onNext(RecordVerifiedAgeResponse.newBuilder()
        .setVerifiedAgeYears(request.getVerifiedAgeYears()).build());
    response.onCompleted();
  }

  @Override
  public void watchStaffChecks(WatchStaffChecksRequest request, StreamObserver<StaffCheck> response) {
    if (request.getSinceMs() < 0) {
      throw Status.INVALID_ARGUMENT.withDescription("since_ms must not be negative").asRuntimeException();
    }
    Predicate<StaffCheck> wanted = c -> c.getRaisedTsMs() >= request.getSinceMs()
        && (!request.getPendingOnly() || c.getState() == StaffCheck.State.PENDING);
    LiveFeed<StaffCheck> feed = new LiveFeed<>(response, IncidentGrpcService.BACKLOG_LIMIT,
        "call again with since_ms of the last check received");
    if (!request.getFollow()) {
      items.all().stream().map(c -> c.toBuilder().clearHeld().build()).filter(wanted).forEach(feed::offer);
      feed.complete();
      return;
    }
    Runnable cancel = items.subscribe(wanted, feed::offer);
    feed.onCancel(cancel);
    if (feed.isCancelled()) {
      cancel.run();
    }
  }

  @Override
  public void resolveStaffCheck(ResolveStaffCheckRequest request, StreamObserver<StaffCheck> response) {
    VisitId visit = visit(request.getVisitId());
    if (request.getNote().length() > 500) {
      throw Status.INVALID_ARGUMENT.withDescription("note is limited to 500 characters").asRuntimeException();
    }
    String staff = Caller.current().map(Caller::identity).orElseThrow(() -> Status.UNAUTHENTICATED
        .withDescription("resolving a staff check needs an authenticated caller").asRuntimeException());
    StaffCheck done;
    try {
      done = items.resolve(visit, request.getApproved(), staff, request.getNote());
    } catch (IllegalArgumentException e) {
      throw Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
    } catch (IllegalStateException e) {
      throw Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
    }
    response.onNext(done);
    response.onCompleted();
  }

  private static VisitId visit(String value) {
    if (value.isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("visit_id is required").asRuntimeException();
    }
    return VisitId.of(value);
  }
}
