package dev.jwo.compliance.subject;

import dev.jwo.compliance.vault.DestructionRecord;
import java.util.List;
import java.util.Objects;

/**
 * The proof of a person's deletion request: the vault's destruction record and every other record deleted, each
 * named by where it was kept and how many went (e.g. {@code "staff check (table restricted_checks): 1"}), each also
 * recorded in the audit chain ({@code RECORDS_DELETED}). What it did not reach is {@link SubjectRequests#NOT_REACHED}.
 */
public record SubjectDeletion(DestructionRecord vault, List<String> destroyed) {
  public SubjectDeletion {
    Objects.requireNonNull(vault, "vault");
    destroyed = List.copyOf(destroyed);
  }
}
