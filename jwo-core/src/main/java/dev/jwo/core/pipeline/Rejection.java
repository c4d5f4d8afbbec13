package dev.jwo.core.pipeline;

import java.util.Objects;

/** A rejected event's reason and a message a person can act on. */
public record Rejection(RejectionReason reason, String message) {
  public Rejection {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return reason + ": " + message;
  }
}
