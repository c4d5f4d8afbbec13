package dev.jwo.server.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
      TokenCommand.class,
      RotateVaultKeyCommand.class,
      ReplayCommand.class,
      DemoCommand.class,
      SimulateCommand.class,
      ScoreCommand.class,
      BenchmarkCommand.class,
      RestartTimeCommand.class,
      LoadCommand.class,
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
          cmd.getErr().println("jwo: " + explain(e));
          return 1;
        })
        .execute(args);
  }

  /** What went wrong, said so that a person can act on it: a missing file says it is missing, and where. */
  static String explain(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NoSuchFileException missing && missing.getFile() != null) {
        Path file = Path.of(String.valueOf(missing.getFile()));
        return file + ": no such file" + (file.isAbsolute() ? "" : " (looked in " + Path.of("").toAbsolutePath()
            + ")") + (missing.getReason() == null ? "" : ": " + missing.getReason());
      }
      if (t instanceof AccessDeniedException denied) {
        return denied.getFile() + ": permission denied; check the file's owner and mode";
      }
    }
    String message = failure.getMessage();
    return message == null ? failure.toString() : message;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = JwoCli.class.getPackage().getImplementationVersion();
      return new String[] {"jwo " + (version == null ? "(development build)" : version)};
    }
  }
}
