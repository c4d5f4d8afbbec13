package dev.jwo.server.it;

import dev.jwo.core.Money;
import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.IncrementRequest;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.RefundRequest;
import dev.jwo.payments.RefundResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A card processor outside the store server's memory: every operation it performs is appended to a ledger file
 * (and forced to disk) before it answers, and a repeated idempotency key gets the first answer again without a
 * second operation. Restarted on the same file, it remembers everything, as a real processor would. Used by the
 * crash test to show that no visit is captured twice.
 *
 * <p>Lines: {@code authorize <key> <authorization id> <minor>}, {@code capture <key> <capture id> <minor>},
 * {@code increment <key> <authorization id> <minor>}, {@code refund <key> <refund id> <minor>},
 * {@code release <key> <authorization id>}, and {@code repeat <operation> <key>} when a key comes again.
 */
final class FileLedgerPaymentProvider implements PaymentProvider {
  private final Path ledger;
  private final int pauseAfterCapture;
  private final Map<String, String[]> done = new HashMap<>();
  private int captures;

  /**
   * @param pauseAfterCapture after this many captures (counted over the file), the processor records the
   *     capture and then stops answering, so that the server can be killed right after a capture request; 0 never
   */
  FileLedgerPaymentProvider(Path ledger, int pauseAfterCapture) {
    this.ledger = ledger;
    this.pauseAfterCapture = pauseAfterCapture;
    try {
      if (Files.exists(ledger)) {
        for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
          String[] f = line.split(" ", -1);
          if (!f[0].equals("repeat")) {
            done.put(f[1], f);
            if (f[0].equals("capture")) {
              captures++;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Capture lines in a ledger file, by idempotency key: a key listed twice was captured twice. */
  static List<String> captureKeys(Path ledger) throws IOException {
    return Files.readAllLines(ledger, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith("capture "))
        .map(l -> l.split(" ", -1)[1])
        .toList();
  }

  @Override
  public synchronized AuthorizationResult authorize(AuthorizationRequest request) {
    String[] previous = repeated("authorize", request.idempotencyKey());
    if (previous != null) {
      return AuthorizationResult.approved(previous[2], money(previous[3], request.amount()));
    }
    String id = "auth-" + request.idempotencyKey();
    append("authorize " + request.idempotencyKey() + " " + id + " " + request.amount().minor(), request.idempotencyKey());
    return AuthorizationResult.approved(id, request.amount());
  }

  @Override
  public synchronized CaptureResult capture(CaptureRequest request) {
    String[] previous = repeated("capture", request.idempotencyKey());
    if (previous != null) {
      return new CaptureResult(previous[2], money(previous[3], request.amount()));
    }
    String id = "cap-" + request.idempotencyKey();
    append("capture " + request.idempotencyKey() + " " + id + " " + request.amount().minor(), request.idempotencyKey());
    captures++;
    if (pauseAfterCapture > 0 && captures == pauseAfterCapture) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new CaptureResult(id, request.amount());
  }

  @Override
  public synchronized AuthorizationResult incrementAuthorization(IncrementRequest request) {
    String[] previous = repeated("increment", request.idempotencyKey());
    if (previous == null) {
      append("increment " + request.idempotencyKey() + " " + request.authorizationId() + " "
          + request.additional().minor(), request.idempotencyKey());
    }
    long total = 0;
    for (String[] f : done.values()) {
      if ((f[0].equals("authorize") || f[0].equals("increment")) && f[2].equals(request.authorizationId())) {
        total += Long.parseLong(f[3]);
      }
    }
    return AuthorizationResult.approved(request.authorizationId(), money(Long.toString(total), request.additional()));
  }

  @Override
  public synchronized RefundResult refund(RefundRequest request) {
    String[] previous = repeated("refund", request.idempotencyKey());
    if (previous != null) {
      return new RefundResult(previous[2], money(previous[3], request.amount()));
    }
    String id = "ref-" + request.idempotencyKey();
    append("refund " + request.idempotencyKey() + " " + id + " " + request.amount().minor(), request.idempotencyKey());
    return new RefundResult(id, request.amount());
  }

  @Override
  public synchronized void release(String idempotencyKey, String authorizationId) {
    if (repeated("release", idempotencyKey) == null) {
      append("release " + idempotencyKey + " " + authorizationId, idempotencyKey);
    }
  }

  private String @Nullable [] repeated(String operation, String key) {
    String[] previous = done.get(key);
    if (previous != null) {
      write("repeat " + operation + " " + key);
    }
    return previous;
  }

  private void append(String line, String key) {
    write(line);
    done.put(key, line.split(" ", -1));
  }

  private void write(String line) {
    try (FileChannel channel = FileChannel.open(ledger, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Money money(String minor, Money like) {
    return new Money(Long.parseLong(minor), like.currency());
  }
}
