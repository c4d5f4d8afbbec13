package dev.jwo.core.storelog;

import org.jspecify.annotations.Nullable;

/**
 * A store log's content does not follow the format. The message names the file, the line and what is wrong,
 * e.g. {@code events.jsonl:17: weight.grams must be a finite number}. Reading may continue with the next line.
 */
public final class StoreLogFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long line;
  private final String problem;

  public StoreLogFormatException(String file, long line, String problem) {
    this(file, line, problem, null);
  }

  public StoreLogFormatException(String file, long line, String problem, @Nullable Throwable cause) {
    super(file + ":" + line + ": " + problem, cause);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /** {@code file:line: problem}. */
  @Override
  public String getMessage() {
    return file + ":" + line + ": " + problem;
  }

  /** The file name, without its directory. */
  public String file() {
    return file;
  }

  /** The 1-based line number where the problem is. */
  public long line() {
    return line;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }
}
