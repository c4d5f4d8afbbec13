package dev.jwo.core.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gives every unary call a deadline: the client's, or a default where the client set none. When the deadline
 * passes before the call has answered, the call ends with {@code DEADLINE_EXCEEDED}, and work that follows the
 * call's {@link Context} (storage, payment providers) sees it cancelled. Streaming calls keep the client's
 * deadline only, since a watch may rightly last for hours.
 */
final class DefaultDeadlineInterceptor implements ServerInterceptor {
  private final Duration defaultDeadline;
  private final ScheduledExecutorService scheduler;

  DefaultDeadlineInterceptor(Duration defaultDeadline, ScheduledExecutorService scheduler) {
    this.defaultDeadline = defaultDeadline;
    this.scheduler = scheduler;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY
        || Context.current().getDeadline() != null) {
      return next.startCall(call, headers);
    }
    Context.CancellableContext context =
        Context.current().withDeadlineAfter(defaultDeadline.toMillis(), TimeUnit.MILLISECONDS, scheduler);
    OnceClosedCall<ReqT, RespT> guarded = new OnceClosedCall<>(call);
    context.addListener(
        cancelled -> {
          if (cancelled.cancellationCause() instanceof TimeoutException) {
            guarded.close(
                Status.DEADLINE_EXCEEDED.withDescription(
                    "the call did not finish within the server's default deadline of " + defaultDeadline.toMillis()
                        + " ms; set a deadline on the client to choose another"),
                new Metadata());
          }
        },
        Runnable::run);
    ServerCall.Listener<ReqT> listener = Contexts.interceptCall(context, guarded, headers, next);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          context.cancel(null);
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          context.cancel(null);
        }
      }
    };
  }

  /** A call that may be closed from the deadline timer and the handler alike; only the first close counts. */
  private static final class OnceClosedCall<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private boolean closed;

    OnceClosedCall(ServerCall<ReqT, RespT> delegate) {
      super(delegate);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(RespT message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }
  }
}
