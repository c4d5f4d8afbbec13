package dev.jwo.payments.grpc;

import dev.jwo.payments.incident.IncidentLog;
import dev.jwo.payments.v1.Incident;
import dev.jwo.payments.v1.IncidentKind;
import dev.jwo.payments.v1.IncidentServiceGrpc;
import dev.jwo.payments.v1.WatchIncidentsRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Predicate;

/** Serves the {@link IncidentLog} to staff devices: what happened so far, then live. */
@Singleton
public final class IncidentGrpcService extends IncidentServiceGrpc.IncidentServiceImplBase {
  static final int BACKLOG_LIMIT = 10_000;

  private final IncidentLog incidents;

  @Inject
  public IncidentGrpcService(IncidentLog incidents) {
    this.incidents = incidents;
  }

  @Override
  public void watchIncidents(WatchIncidentsRequest request, StreamObserver<Incident> response) {
    if (request.getSinceMs() < 0 || request.getKind() == IncidentKind.UNRECOGNIZED) {
      throw Status.INVALID_ARGUMENT.withDescription("since_ms must not be negative and kind must be TAILGATING,"
          + " UNPAID_EXIT or unset").asRuntimeException();
    }
    Predicate<Incident> wanted = i -> i.getTsMs() >= request.getSinceMs()
        && (request.getKind() == IncidentKind.INCIDENT_KIND_UNSPECIFIED || i.getKind() == request.getKind());
    LiveFeed<Incident> feed = new LiveFeed<>(response, BACKLOG_LIMIT,
        "call again with since_ms of the last incident received");
    if (!request.getFollow()) {
      incidents.all().stream().filter(wanted).forEach(feed::offer);
      feed.complete();
      return;
    }
    Runnable cancel = incidents.subscribe(wanted, feed::offer);
    feed.onCancel(cancel);
    if (feed.isCancelled()) {
      cancel.run();
    }
  }
}
