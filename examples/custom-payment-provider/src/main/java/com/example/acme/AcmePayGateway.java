package com.example.acme;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the client library of the retailer's own processor ("AcmePay"). A real one would call the
 * processor over the network; this one keeps charges in memory so that the example runs anywhere. Its API is
 * deliberately not the SDK's: the provider adapts one to the other.
 */
public class AcmePayGateway {
  /** An AcmePay answer: a reference, or an error code. */
  public record Response(String reference, String errorCode) {
    boolean ok() {
      return errorCode.isEmpty();
    }
  }

  private final Map<String, Response> byRequestId = new HashMap<>();
  private final Map<String, long[]> holds = new HashMap<>();
  private final Map<String, long[]> settlements = new HashMap<>();
  private final List<String> settledReferences = new ArrayList<>();
  private int next = 1;

  /** Places a hold of {@code cents} on a card token; repeated request ids return the first response. */
  public synchronized Response hold(String requestId, String cardToken, long cents) {
    return byRequestId.computeIfAbsent(requestId, id -> {
      if (cardToken.startsWith("decline")) {
        return new Response("", "DO_NOT_HONOR");
      }
      String reference = "acme-hold-" + next++;
      holds.put(reference, new long[] {cents, 0});
      return new Response(reference, "");
    });
  }

  /** Settles up to the held amount; repeated request ids return the first response. */
  public synchronized Response settle(String requestId, String holdReference, long cents) {
    Response previous = byRequestId.get(requestId);
    if (previous != null) {
      return previous;
    }
    long[] hold = holds.get(holdReference);
    Response response;
    if (hold == null) {
      response = new Response("", "NO_SUCH_HOLD");
    } else if (hold[1] != 0) {
      response = new Response("", "HOLD_CLOSED");
    } else if (cents > hold[0]) {
      response = new Response("", "OVER_LIMIT");
    } else {
      hold[1] = 1;
      response = new Response("acme-settle-" + next++, "");
      settledReferences.add(response.reference());
      settlements.put(response.reference(), new long[] {cents, 0});
    }
    byRequestId.put(requestId, response);
    return response;
  }

  /** Raises an open hold by {@code cents}; repeated request ids return the first response. */
  public synchronized Response raise(String requestId, String holdReference, long cents) {
    return byRequestId.computeIfAbsent(requestId, id -> {
      long[] hold = holds.get(holdReference);
      if (hold == null || hold[1] != 0) {
        return new Response("", hold == null ? "NO_SUCH_HOLD" : "HOLD_CLOSED");
      }
      hold[0] += cents;
      return new Response(holdReference, "");
    });
  }

  /** The amount a hold covers now. */
  public synchronized long held(String holdReference) {
    long[] hold = holds.get(holdReference);
    return hold == null ? 0 : hold[0];
  }

  /** Gives back up to what a settlement charged; repeated request ids return the first response. */
  public synchronized Response giveBack(String requestId, String settlementReference, long cents) {
    return byRequestId.computeIfAbsent(requestId, id -> {
      long[] settled = settlements.get(settlementReference);
      if (settled == null) {
        return new Response("", "NO_SUCH_SETTLEMENT");
      }
      if (settled[1] + cents > settled[0]) {
        return new Response("", "OVER_SETTLED_AMOUNT");
      }
      settled[1] += cents;
      return new Response("acme-refund-" + next++, "");
    });
  }

  /** Cancels a hold that was not settled. */
  public synchronized void cancel(String requestId, String holdReference) {
    long[] hold = holds.get(holdReference);
    if (hold != null && hold[1] == 0) {
      hold[1] = 2;
    }
  }

  /** The references of every settlement made. */
  public synchronized List<String> settlements() {
    return List.copyOf(settledReferences);
  }
}
