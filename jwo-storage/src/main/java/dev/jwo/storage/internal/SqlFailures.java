package dev.jwo.storage.internal;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.jspecify.annotations.Nullable;

/** Classifies SQL failures the same way for every dialect. */
final class SqlFailures {
  private SqlFailures() {}

  /** A unique key was violated: another writer got there first. */
  static boolean isUniqueViolation(SQLException e) {
    for (@Nullable SQLException s = e; s != null; s = s.getNextException()) {
      if ("23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** The same call may succeed if tried again: the connection or the transaction failed, not the statement. */
  static boolean isRetriable(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57P"));
  }

  /** A message of the failure and its chained causes, for people. */
  static String describe(SQLException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
