package dev.jwo.server;

import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.security.TokenIssuer;

/** What the gRPC tests bind to serve a store in process. */
final class InProcessStore {
  private InProcessStore() {}

  /** Serves the store in process under {@code name}, its callers checked against the key of {@code callers}. */
  static Module serving(String name, TokenIssuer callers) {
    return binder -> {
      OptionalBinder.newOptionalBinder(binder, GrpcServerSettings.class).setBinding()
          .toInstance(GrpcServerSettings.inProcess(name));
      OptionalBinder.newOptionalBinder(binder, CallerAuthentication.class).setBinding()
          .toInstance(callers.authentication());
    };
  }
}
