package dev.jwo.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jwo} command. */
@Command(
    name = "jwo",
    mixinStandardHelpOptions = true,
    versionProvider = JwoCli.Version.class,
    description = "Run a just-walk-out store: serve it over gRPC, replay a store log, run the demo, or simulate "
        + "stores and score receipts against their ground truth.",
    subcommands = {
      ServeCommand.class,
      ReplayCommand.class,
      DemoCommand.class,
      SimulateCommand.class,
      ScoreCommand.class,
      BenchmarkCommand.class,
      ShelvesCommand.class,
      CommandLine.HelpCommand.class})
public final class JwoCli {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (0 success, 1 failure, 2 usage error). */
  public static int run(String... args) {
    return new CommandLine(new JwoCli())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("jwo: " + e.getMessage());
          return 1;
        })
        .execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = JwoCli.class.getPackage().getImplementationVersion();
      return new String[] {"jwo " + (version == null ? "(development build)" : version)};
    }
  }
}
