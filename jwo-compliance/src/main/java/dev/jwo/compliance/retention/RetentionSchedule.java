package dev.jwo.compliance.retention;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StoreStorage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The retention schedule of kept biometric data, in table {@value #TABLE}, and the legal holds, in table
 * {@value #HOLDS}. Deadlines come from {@link PolicySet#retentionDeadline}: the earliest of the law's limits and the
 * store's own. The schedule only says what is due; the vault destroys it. Thread-safe.
 */
@Singleton
public final class RetentionSchedule {
  public static final String TABLE = "compliance_retention";
  public static final String HOLDS = "compliance_legal_holds";
  private static final Comparator<RetentionEntry> BY_DEADLINE =
      Comparator.comparingLong(RetentionEntry::deadlineTs).thenComparing(RetentionEntry::item);

  private final KeyedTable table;
  private final KeyedTable holds;
  private final PolicySet policies;
  private final PolicySet.StoreRetention store;
  private final AuditChain audit;
  private @Nullable Map<String, RetentionEntry> cache;
  /** The cached entries again, by deadline then item: what {@link #due} walks until the first not yet due. */
  private final NavigableSet<RetentionEntry> byDeadline = new TreeSet<>(BY_DEADLINE);

  @Inject
  public RetentionSchedule(StoreStorage storage, PolicySet policies, ComplianceSettings settings, AuditChain audit) {
    this.table = storage.table(TABLE);
    this.holds = storage.table(HOLDS);
    this.policies = policies;
    this.store = new PolicySet.StoreRetention(settings.retainAfterPurpose(), settings.retainAfterLastInteraction());
    this.audit = audit;
  }

  /** Schedules a newly kept datum; its deadline counts from collection until its purpose is satisfied. */
  public synchronized RetentionEntry schedule(
      String item, String subject, String visit, DataCategory category, long collectedTs) {
    PolicySet.Deadline deadline = policies.retentionDeadline(collectedTs, collectedTs, null, store);
    RetentionEntry entry = new RetentionEntry(item, subject, visit, category, collectedTs, null, deadline.ts(),
        deadline.rule().citation());
    put(entry);
    return entry;
  }

  /** The purpose of everything kept for {@code visit} is satisfied at {@code ts}: deadlines move earlier. */
  public synchronized List<RetentionEntry> purposeSatisfied(String visit, long ts) {
    List<RetentionEntry> changed = new ArrayList<>();
    for (RetentionEntry entry : List.copyOf(entries().values())) {
      if (entry.visit().equals(visit) && entry.purposeSatisfiedTs() == null) {
        PolicySet.Deadline deadline = policies.retentionDeadline(entry.collectedTs(), entry.collectedTs(), ts, store);
        RetentionEntry updated = new RetentionEntry(entry.item(), entry.subject(), entry.visit(), entry.category(),
            entry.collectedTs(), ts, Math.min(deadline.ts(), entry.deadlineTs()),
            deadline.ts() <= entry.deadlineTs() ? deadline.rule().citation() : entry.rule());
        put(updated);
        changed.add(updated);
      }
    }
    return changed;
  }

  /** Entries whose deadline is at or before {@code ts} and whose subject is not under a legal hold, by deadline. */
  public synchronized List<RetentionEntry> due(long ts) {
    entries();
    List<RetentionEntry> due = new ArrayList<>();
    for (RetentionEntry entry : byDeadline) {
      if (entry.deadlineTs() > ts) {
        break;
      }
      if (hold(entry.subject()).isEmpty()) {
        due.add(entry);
      }
    }
    return List.copyOf(due);
  }

  /** Entries past their deadline at {@code ts}, held or not. */
  public synchronized List<RetentionEntry> overdue(long ts) {
    return entries().values().stream().filter(e -> e.deadlineTs() <= ts).toList();
  }

  /** Every scheduled entry, by item id. */
  public synchronized List<RetentionEntry> all() {
    return List.copyOf(entries().values());
  }

  /** The entries of one subject. */
  public synchronized List<RetentionEntry> ofSubject(String subject) {
    return entries().values().stream().filter(e -> e.subject().equals(subject)).toList();
  }

  public synchronized Optional<RetentionEntry> entry(String item) {
    return Optional.ofNullable(entries().get(item));
  }

  /** Removes an entry once its datum is destroyed. */
  public synchronized void remove(String item) {
    RetentionEntry removed = entries().remove(item);
    if (removed != null) {
      byDeadline.remove(removed);
    }
    table.delete(item);
  }

  /**
   * Places a legal hold, recorded in the audit chain with its reference.
   *
   * @throws ComplianceException INVALID if the order has no usable reference (see {@link LegalHold})
   */
  public synchronized LegalHold placeHold(
      String subject, LegalHold.Order order, String reference, String authority, long ts) {
    LegalHold hold;
    try {
      hold = new LegalHold(subject, order, reference, authority, ts);
    } catch (IllegalArgumentException e) {
      throw ComplianceException.invalid(String.valueOf(e.getMessage()));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("order", order.name());
    json.put("reference", reference.strip());
    json.put("authority", authority.strip());
    json.put("ts", ts);
    holds.put(subject, Canonical.json(json), KeyedTable.ANY_VERSION);
    Map<String, String> details = new TreeMap<>();
    details.put("order", order.wireName());
    details.put("reference", reference.strip());
    details.put("authority", authority.strip());
    audit.append(AuditType.LEGAL_HOLD_PLACED, ts, subject, details);
    return hold;
  }

  /** Releases a hold; what is overdue is destroyed at the next run. Returns whether there was one. */
  public synchronized boolean releaseHold(String subject, String reason, long ts) {
    Optional<LegalHold> hold = hold(subject);
    if (hold.isEmpty()) {
      return false;
    }
    holds.delete(subject);
    audit.append(AuditType.LEGAL_HOLD_RELEASED, ts, subject,
        Map.of("reference", hold.get().reference(), "reason", reason));
    return true;
  }

  /** The hold on a subject's data, if any. */
  public synchronized Optional<LegalHold> hold(String subject) {
    return holds.get(subject).map(v -> {
      JsonNode json = Canonical.read(v.value());
      return new LegalHold(subject, LegalHold.Order.valueOf(Canonical.text(json, "order", "WARRANT")),
          Canonical.text(json, "reference", ""), Canonical.text(json, "authority", ""), json.path("ts").asLong());
    });
  }

  private void put(RetentionEntry entry) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("subject", entry.subject());
    json.put("visit", entry.visit());
    json.put("category", entry.category().name());
    json.put("collected_ts", entry.collectedTs());
    json.put("purpose_satisfied_ts", entry.purposeSatisfiedTs());
    json.put("deadline_ts", entry.deadlineTs());
    json.put("rule", entry.rule());
    table.put(entry.item(), Canonical.json(json), KeyedTable.ANY_VERSION);
    RetentionEntry replaced = entries().put(entry.item(), entry);
    if (replaced != null) {
      byDeadline.remove(replaced);
    }
    byDeadline.add(entry);
  }

  private Map<String, RetentionEntry> entries() {
    Map<String, RetentionEntry> map = cache;
    if (map == null) {
      map = new TreeMap<>();
      for (KeyedValue row : table.scan("")) {
        JsonNode json = Canonical.read(row.value().value());
        JsonNode satisfied = json.path("purpose_satisfied_ts");
        map.put(row.key(), new RetentionEntry(row.key(), Canonical.text(json, "subject", ""),
            Canonical.text(json, "visit", ""), DataCategory.valueOf(Canonical.text(json, "category", "")),
            json.path("collected_ts").asLong(), satisfied.isNumber() ? satisfied.asLong() : null,
            json.path("deadline_ts").asLong(), Canonical.text(json, "rule", "")));
      }
      cache = map;
      byDeadline.clear();
      byDeadline.addAll(map.values());
    }
    return map;
  }
}
