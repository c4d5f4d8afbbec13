package dev.jwo.server.cli;

import dev.jwo.core.Credential;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.security.Caller;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.security.TokenKey;
import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.core.storelog.StoreLogReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jwo token}: issues a bearer token for one caller from the store's token key. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Issue a bearer token for a caller of the store (print it on standard output). Callers send it as"
        + " 'authorization: Bearer <token>'. Roles: sensor-gateway, shopper-app (with --party), reviewer, staff,"
        + " compliance-officer, store-admin.")
final class TokenCommand implements Callable<Integer> {
  @Option(names = "--store", required = true, paramLabel = "FILE", description = "the store's store.json")
  Path store;

  @Option(names = "--token-key", paramLabel = "FILE",
      description = "the store's token key file, if serve was given one with --token-key (otherwise the key"
          + " options serve was started with name it)")
  @Nullable Path tokenKey;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
      description = "the store's data directory, which must not hold the keys (default ${DEFAULT-VALUE})")
  Path data = Path.of("data");

  @Mixin KeyOptions keyOptions = new KeyOptions();

  @Option(names = "--role", required = true, paramLabel = "ROLE", description = "the caller's role")
  String role;

  @Option(names = "--subject", required = true, paramLabel = "NAME",
      description = "who the caller is, e.g. gate-gw-1 or alice (printable, no spaces; never a credential)")
  String subject;

  @Option(names = "--party", paramLabel = "CREDENTIAL",
      description = "for shopper-app: the credential of the party the app acts for")
  @Nullable String party;

  @Option(names = "--ttl", defaultValue = "12h", paramLabel = "DURATION",
      description = "how long the token is valid: 90s, 30m, 12h or 7d (default ${DEFAULT-VALUE})")
  String ttl;

  @Override
  public Integer call() throws Exception {
    Role chosen = Role.fromWireName(role).orElseThrow(() -> new IllegalArgumentException(
        "--role " + role + " is not a role; use one of " + Role.wireNames()));
    if ((chosen == Role.SHOPPER_APP) != (party != null)) {
      throw new IllegalArgumentException(chosen == Role.SHOPPER_APP
          ? "a shopper-app token needs --party CREDENTIAL: the credential of the party it acts for"
          : "--party is only for --role shopper-app");
    }
    StoreLayout layout = StoreLogReader.readStore(store);
    if (keyOptions.devKeys) {
      throw new IllegalArgumentException("--dev-keys live in the serving process only: give the --token-key FILE"
          + " that jwo serve printed");
    }
    TokenKey key = tokenKey != null ? KeyFileProvider.tokenKeyIn(KeyOptions.outsideData(tokenKey, data), false)
        : keyOptions.provider(System.getenv(), data, true, System.err).tokenKey();
    TokenIssuer issuer = new TokenIssuer(key, layout.storeId().value(), Clock.systemUTC());
    Caller caller = new Caller(chosen, subject, party == null ? null : Credential.of(party));
    System.out.println(issuer.issue(caller, DurationText.parse("--ttl", ttl)));
    return 0;
  }
}
