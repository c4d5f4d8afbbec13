package dev.jwo.server.it;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.payments.PaymentProvider;
import java.nio.file.Path;

/**
 * Binds the {@link FileLedgerPaymentProvider} for a server started with {@code --module}; the ledger file and the
 * pause come from the system properties {@code jwo.it.ledger} and {@code jwo.it.pauseAfterCapture}.
 */
public final class FileLedgerPaymentsModule extends AbstractModule {
  @Override
  protected void configure() {
    String ledger = System.getProperty("jwo.it.ledger");
    if (ledger == null) {
      throw new IllegalStateException("set -Djwo.it.ledger to the payment ledger file");
    }
    int pause = Integer.getInteger("jwo.it.pauseAfterCapture", 0);
    OptionalBinder.newOptionalBinder(binder(), PaymentProvider.class).setBinding()
        .toInstance(new FileLedgerPaymentProvider(Path.of(ledger), pause));
  }
}
