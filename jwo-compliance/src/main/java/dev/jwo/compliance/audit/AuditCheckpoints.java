package dev.jwo.compliance.audit;

import com.google.inject.ProvidedBy;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where checkpoints of the audit chain's head are kept, outside the store's database (a file on other media, the
 * back office, a timestamping service), so that rewriting or cutting the chain in the database shows against them.
 * Append-only: a checkpoint once written is never changed. Implementations must be thread-safe, durable before
 * {@link #append} returns, and must not throw for a checkpoint already kept. Prove one with the kit
 * {@code AuditCheckpointsKit} of jwo-testing. The default ({@link #inMemory()}) lives as long as the process.
 */
@ProvidedBy(AuditCheckpoints.PerInjector.class)
public interface AuditCheckpoints {
  /** Keeps {@code checkpoint}, after every one kept before. */
  void append(AuditCheckpoint checkpoint);

  /** The last checkpoint kept, if any. */
  Optional<AuditCheckpoint> latest();

  /** Where checkpoints are kept, for messages. */
  String describe();

  /** Checkpoints in memory, for tests and stores that keep nothing beyond a process. */
  static AuditCheckpoints inMemory() {
    return new AuditCheckpoints() {
      private final List<AuditCheckpoint> kept = new ArrayList<>();

      @Override
      public synchronized void append(AuditCheckpoint checkpoint) {
        kept.add(checkpoint);
      }

      @Override
      public synchronized Optional<AuditCheckpoint> latest() {
        return kept.isEmpty() ? Optional.empty() : Optional.of(kept.get(kept.size() - 1));
      }

      @Override
      public String describe() {
        return "checkpoints in memory";
      }
    };
  }

  /** In-memory checkpoints for an injector that binds none: one list per injector. */
  @Singleton
  final class PerInjector implements Provider<AuditCheckpoints> {
    private final AuditCheckpoints checkpoints = inMemory();

    @Override
    public AuditCheckpoints get() {
      return checkpoints;
    }
  }
}
