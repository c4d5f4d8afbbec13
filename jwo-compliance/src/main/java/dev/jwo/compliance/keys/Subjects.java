package dev.jwo.compliance.keys;

import dev.jwo.core.Credential;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionConflictException;
import dev.jwo.core.storage.VersionedValue;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Names people for consent, the vault, the roster and the audit chain: the one place a credential becomes a subject
 * (see {@link SubjectKey}). The store keeps the key's check value (table {@value #TABLE}), so a store started with
 * another subject key, whose subjects would match none of the recorded ones, fails start-up instead (a
 * {@linkplain SubjectKey#random() per-process key} is not recorded). Thread-safe.
 */
@Singleton
public final class Subjects {
  /** The table of the subject key's check value. */
  public static final String TABLE = "compliance_subject_key";

  private final SubjectKey key;

  /** @throws WrongSubjectKeyException if the store recorded another subject key's check value */
  @Inject
  public Subjects(StoreStorage storage, SubjectKey key) {
    this.key = key;
    if (!key.ephemeral()) {
      check(storage.table(TABLE));
    }
  }

  /** The subject of {@code credential}. */
  public String of(Credential credential) {
    return key.subject(credential);
  }

  private void check(KeyedTable table) {
    byte[] mine = key.checkValue().getBytes(StandardCharsets.UTF_8);
    Optional<VersionedValue> stored = table.get("check");
    if (stored.isEmpty()) {
      try {
        table.put("check", mine, KeyedTable.ABSENT);
        return;
      } catch (VersionConflictException e) {
        stored = table.get("check"); // another process recorded it first: check against theirs
      }
    }
    if (stored.isPresent() && !java.util.Arrays.equals(stored.get().value(), mine)) {
      throw new WrongSubjectKeyException("the subject key is not the one this store named its people with, so no"
          + " consent, vault key or hold would be found; start with the store's own subject key (the key file or"
          + " variable it was first started with). Nothing was changed.");
    }
  }
}
