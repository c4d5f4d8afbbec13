package dev.jwo.compliance.exposure;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.policy.Damages;
import dev.jwo.compliance.policy.JurisdictionPolicy;
import dev.jwo.compliance.policy.Policies;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.retention.RetentionEntry;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.grpc.GrpcServerSettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Prices the store's biometric data against each applicable law. Receipts are read from the audit chain: a
 * {@code CAPTURE} record is the first use per person, method and visit, a {@code DROP} the first removal of a
 * received datum; both are receipts, since receiving a biometric datum is collecting it (740 ILCS 14/15(b)). Each
 * is judged afresh against the consent ledger and the published documents at its instant, independently of what the
 * guard said, so a replaced or faulty guard shows up here. A receipt in a party is one from each of its people: the
 * payer, the members signed in to the party, and one unnamed person for each the gate admitted beyond them (who has no
 * release). Under 740 ILCS 14/20 as amended in 2024, repeated collection from one person by one method is one
 * violation; the other per-violation laws are counted the same way, and Portland's per day.
 *
 * <p>Besides collection, each law's other duties are priced per person where the law prices per violation:
 * retention (data past its destruction deadline and not under a legal hold, 15(a)), disclosure (biometric data that
 * left for a purpose other than the requested payment, a recorded legal order or the person's own access, 15(d)),
 * and security where the law sets a standard of care (biometric data received while the store takes camera input on
 * a network port without TLS, 15(e)).
 */
@Singleton
public final class ExposureCalculator {
  private static final long DAY = 86_400_000L;
  /** The standard-of-care sections, by jurisdiction code. */
  private static final Map<String, String> SECURITY = Map.of(
      "US-IL", "740 ILCS 14/15(e)",
      "US-TX", "Tex. Bus. & Com. Code 503.001(c)(2)");

  private final AuditChain audit;
  private final ConsentLedger ledger;
  private final PartyRoster roster;
  private final DocumentLibrary documents;
  private final RetentionSchedule retention;
  private final PolicySet policies;
  private final StoreLayout layout;
  private final GrpcServerSettings server;

  @Inject
  public ExposureCalculator(
      AuditChain audit, ConsentLedger ledger, PartyRoster roster, DocumentLibrary documents,
      RetentionSchedule retention, PolicySet policies, StoreLayout layout, GrpcServerSettings server) {
    this.audit = audit;
    this.ledger = ledger;
    this.roster = roster;
    this.documents = documents;
    this.retention = retention;
    this.policies = policies;
    this.layout = layout;
    this.server = server;
  }

  /** The report as of {@code ts}. */
  public ExposureReport report(long ts) {
    List<AuditRecord> records = audit.records();
    List<ExposureLine> lines = new ArrayList<>();
    for (JurisdictionPolicy policy : policies.policies()) {
      if (!policy.equals(Policies.FAIL_CLOSED)) {
        lines.add(line(policy, records, ts));
      }
    }
    return new ExposureReport(layout.storeId().value(), policies.jurisdiction(), ts, lines);
  }

  /** The people a receipt may have come from. */
  static List<String> persons(AuditRecord record) {
    if (record.subject().isEmpty()) {
      return List.of("unidentified#" + record.seq());
    }
    List<String> persons = new ArrayList<>();
    String people = record.detail("people");
    if (people.isBlank()) {
      persons.add(record.subject());
    } else {
      persons.addAll(List.of(people.split(",")));
    }
    int size;
    try {
      size = record.detail("party_size").isEmpty() ? persons.size() : Integer.parseInt(record.detail("party_size"));
    } catch (NumberFormatException e) {
      size = persons.size();
    }
    for (int i = persons.size(); i < size; i++) {
      persons.add("unnamed#" + record.detail("visit") + "#" + i);
    }
    return persons;
  }

  private ExposureLine line(JurisdictionPolicy policy, List<AuditRecord> records, long now) {
    Map<String, Boolean> received = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    Set<String> dropped = new HashSet<>();
    Set<String> receivedPersons = new TreeSet<>();
    Set<Long> days = new HashSet<>();
    for (AuditRecord record : records) {
      if (record.type() != AuditType.CAPTURE && record.type() != AuditType.DROP) {
        continue;
      }
      DataCategory category;
      try {
        category = DataCategory.valueOf(record.detail("category").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        continue;
      }
      Modality modality = category.modality();
      if (modality == null || !policy.biometric().contains(category)) {
        continue;
      }
      for (String person : persons(record)) {
        String pair = person + "|" + modality;
        boolean violation = violates(policy, person, record.ts(), modality);
        if (violation) {
          days.add(Math.floorDiv(record.ts(), DAY));
        }
        received.merge(pair, violation, Boolean::logicalOr);
        receivedPersons.add(person);
        (record.type() == AuditType.CAPTURE ? used : dropped).add(pair);
      }
    }
    dropped.removeAll(used);
    long without = received.values().stream().filter(v -> v).count();
    long with = received.size() - without;
    Damages damages = policy.damages();
    long count = damages.unit() == Damages.Unit.PER_DAY ? days.size() : without;
    String note = switch (damages.unit()) {
      case SHARE_OF_TURNOVER -> "not priced per person: " + damages.rule().summary();
      case PER_PERSON_PER_METHOD -> "one violation per person per method received without their own release";
      case PER_VIOLATION -> "counted as one violation per person per method received";
      case PER_DAY -> "one violation per day";
    };
    List<ExposureDuty> duties = new ArrayList<>();
    if (damages.unit() == Damages.Unit.PER_PERSON_PER_METHOD || damages.unit() == Damages.Unit.PER_VIOLATION) {
      duties(policy, records, receivedPersons, now, duties);
    }
    return new ExposureLine(policy.code(), policy.law(), used.size(), received.size(), with, without, dropped.size(),
        days.size(), count, damages.unit(), count * damages.negligentMinor(), count * damages.intentionalMinor(),
        damages.rule().citation(), note, duties);
  }

  private void duties(JurisdictionPolicy policy, List<AuditRecord> records, Set<String> receivedPersons, long now,
      List<ExposureDuty> duties) {
    Damages damages = policy.damages();
    if (policy.retention() != null) {
      Set<String> overdue = new TreeSet<>();
      for (RetentionEntry entry : retention.overdue(now)) {
        if (retention.hold(entry.subject()).isEmpty()) {
          List<String> shared = roster.sharedPeople(entry.subject());
          overdue.addAll(shared.isEmpty() ? List.of(entry.subject()) : shared);
        }
      }
      duties.add(new ExposureDuty("retention", policy.retention().rule().citation(), overdue.size(),
          overdue.size() * damages.negligentMinor(), overdue.size() * damages.intentionalMinor(),
          "persons with biometric data kept past its destruction deadline, not under a legal hold"));
    }
    Set<String> disclosed = new TreeSet<>();
    for (AuditRecord record : records) {
      if (record.type() == AuditType.DISCLOSURE && record.detail("biometric").equals("true")
          && !lawfulDisclosure(record)) {
        disclosed.add(record.subject().isEmpty() ? "many#" + record.seq() : record.subject());
      }
    }
    duties.add(new ExposureDuty("disclosure", policy.disclosure().citation(), disclosed.size(),
        disclosed.size() * damages.negligentMinor(), disclosed.size() * damages.intentionalMinor(),
        "persons whose biometric data left for a purpose other than their payment, a recorded legal order or their"
            + " own access"));
    String security = SECURITY.get(policy.code());
    if (security != null) {
      boolean plaintext = server.inProcessName() == null && server.tlsCertificateChain() == null;
      long persons = plaintext ? receivedPersons.size() : 0;
      duties.add(new ExposureDuty("security", security, persons, persons * damages.negligentMinor(),
          persons * damages.intentionalMinor(), plaintext
              ? "persons whose biometric data was received while the store takes camera input on port "
                  + server.port() + " without TLS"
              : "camera input is taken over TLS or in-process; biometric data at rest is sealed per person"));
    }
  }

  private static boolean lawfulDisclosure(AuditRecord record) {
    return switch (record.detail("purpose")) {
      case "payment" -> true;
      case "legal_order" -> record.detail("legal_order_reference").strip().length() >= 3;
      case "subject_access" -> record.detail("recipient").equals("subject") && !record.subject().isEmpty();
      default -> false;
    };
  }

  private boolean violates(JurisdictionPolicy policy, String person, long ts, Modality modality) {
    if (policy.bannedModalities().containsKey(modality)) {
      return true;
    }
    for (DocumentKind kind : policy.requiredDocuments().keySet()) {
      if (!documents.publishedBy(kind, ts)) {
        return true;
      }
    }
    if (policy.consent() != null) {
      return person.contains("#") || ledger.validConsent(person, modality, ts).isEmpty();
    }
    return false;
  }
}
