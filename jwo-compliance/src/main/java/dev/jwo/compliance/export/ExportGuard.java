package dev.jwo.compliance.export;

import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.core.Credential;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.policy.Rule;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Decides every export of personal data and records it (R8). Biometric categories (as classified here) leave only
 * to complete the payment the shopper asked for, under a legal order whose reference is recorded, or to the person
 * themself; never for sale, marketing, analytics or model training. Other personal data is never sold or used for
 * marketing or model training. Counted in {@code jwo.compliance.exports} (purpose, outcome).
 */
@Singleton
public final class ExportGuard {
  static final Rule NO_SALE = new Rule("jwo/no-sale", "jwo policy R8",
      "personal data is never sold, nor used for marketing or model training");
  static final Rule LEGAL_ORDER = new Rule("jwo/legal-order", "jwo policy R8",
      "a legal order must be recorded with its reference before anything leaves under it");
  static final Rule CHANNEL = new Rule("jwo/export-channel",
      "jwo policy R8; GDPR Art. 5(1)(c), Art. 28; Cal. Civ. Code 1798.100(d)",
      "personal data leaves only by a declared channel, carrying no more than the channel declares");
  static final Rule PAYER = new Rule("jwo/payer-only", "jwo policy R8; 740 ILCS 14/15(d)(2)",
      "biometric data leaves for a payment only about the person who asked for it: the party's payer");
  static final Rule ACCESS = new Rule("jwo/subject-access", "jwo policy R12; GDPR Art. 15; Cal. Civ. Code 1798.110",
      "a person may receive what is held about them");

  private final PolicySet policies;
  private final AuditChain audit;
  private final MeterRegistry registry;
  private final ExportChannels channels;
  private final PartyRoster roster;

  @Inject
  public ExportGuard(PolicySet policies, AuditChain audit, MeterRegistry registry, ExportChannels channels,
      PartyRoster roster) {
    this.roster = roster;
    this.policies = policies;
    this.audit = audit;
    this.registry = registry;
    this.channels = channels;
  }

  /** Decides the export and records the attempt in the audit chain, allowed or refused. */
  public ExportDecision check(ExportRequest request) {
    boolean biometric = request.categories().stream().anyMatch(policies::isBiometric);
    return record(request, biometric ? biometric(request) : other(request));
  }

  /**
   * Decides an export of {@code categories} about {@code subject} (empty for many people) by the declared channel
   * to {@code recipient}, for the channel's purpose, and records the attempt with {@code reference} (what went
   * out, e.g. {@code <visit>/capture}; no personal data beyond pseudonyms and visit ids). Refused when no such channel is
   * declared (recorded as a disclosure to a third party, purpose {@code sale}) or it would carry a category the channel does not declare; otherwise as {@link #check(ExportRequest)}.
   */
  public ExportDecision check(
      String recipient, Set<DataCategory> categories, String subject, String reference, long ts) {
    Optional<ExportChannel> declared = channels.channel(recipient);
    Purpose purpose = declared.map(ExportChannel::purpose).orElse(Purpose.SALE);
    ExportRequest request = new ExportRequest(categories, purpose, recipient, subject, null, ts, reference);
    if (declared.isEmpty()) {
      return record(request, new Decision(false, "no export channel to '" + recipient + "' is declared", CHANNEL));
    }
    Set<DataCategory> extra = EnumSet.copyOf(categories);
    extra.removeAll(declared.get().carries());
    if (!extra.isEmpty()) {
      return record(request, new Decision(false, "the channel to '" + recipient + "' may not carry "
          + extra.stream().map(DataCategory::wireName).sorted().collect(Collectors.joining(", ")), CHANNEL));
    }
    return check(request);
  }

  /**
   * As {@link #check(String, Set, String, String, long)}, throwing when refused.
   *
   * @throws ComplianceException REFUSED, saying why, under which rule, and the audit record of the attempt
   */
  public ExportDecision require(
      String recipient, Set<DataCategory> categories, String subject, String reference, long ts) {
    ExportDecision decision = check(recipient, categories, subject, reference, ts);
    if (!decision.allowed()) {
      throw ComplianceException.refused("the export guard refused to send " + categories.stream()
          .map(DataCategory::wireName).sorted().collect(Collectors.joining(", ")) + " to " + recipient + ": "
          + decision.reason() + " (" + decision.rule() + "; audit record " + decision.auditHash() + ")");
    }
    return decision;
  }

  /** As {@link #require(String, Set, String, String, long)}, about the person who presented {@code credential}. */
  public ExportDecision require(
      String recipient, Set<DataCategory> categories, Credential credential, String reference, long ts) {
    return require(recipient, categories, audit.subjectOf(credential), reference, ts);
  }

  /**
   * The guard of a gRPC answer that sends {@code categories} out by {@code channel}: as {@link #require(String,
   * Set, Credential, String, long)} about the person who presented {@code credential}, or about many people when it
   * is null, answering a refusal with {@code PERMISSION_DENIED} carrying the guard's reason and audit record.
   *
   * @throws io.grpc.StatusRuntimeException PERMISSION_DENIED when refused
   */
  public ExportDecision requireForCall(ExportChannel channel, Set<DataCategory> categories,
      @Nullable Credential credential, String reference, long ts) {
    try {
      return credential == null
          ? require(channel.recipient(), categories, "", reference, ts)
          : require(channel.recipient(), categories, credential, reference, ts);
    } catch (ComplianceException e) {
      throw Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException();
    }
  }

  private ExportDecision record(ExportRequest request, Decision decision) {
    boolean biometric = request.categories().stream().anyMatch(policies::isBiometric);
    Map<String, String> details = new TreeMap<>();
    details.put("categories", request.categories().stream().map(DataCategory::wireName).sorted()
        .collect(Collectors.joining(",")));
    details.put("purpose", request.purpose().wireName());
    details.put("recipient", request.recipient());
    details.put("biometric", Boolean.toString(biometric));
    details.put("reason", decision.reason);
    details.put("rule", decision.rule.citation());
    if (!request.reference().isEmpty()) {
      details.put("reference", request.reference());
    }
    if (request.legalOrderReference() != null) {
      details.put("legal_order_reference", request.legalOrderReference());
    }
    AuditRecord record = audit.append(decision.allowed ? AuditType.DISCLOSURE : AuditType.DISCLOSURE_REFUSED,
        request.ts(), request.subject(), details);
    registry.counter("jwo.compliance.exports", "purpose", request.purpose().wireName(),
        "outcome", decision.allowed ? "allowed" : "refused").increment();
    return new ExportDecision(decision.allowed, decision.reason, decision.rule.citation(), record.hash());
  }

  private Decision biometric(ExportRequest request) {
    Purpose purpose = request.purpose();
    if (purpose == Purpose.SALE) {
      Rule rule = policies.saleBan().orElse(NO_SALE);
      return new Decision(false, "biometric data is never sold: " + rule.summary(), rule);
    }
    if (policies.purposeBan(purpose).isPresent()) {
      Rule rule = policies.purposeBan(purpose).get();
      return new Decision(false, rule.summary(), rule);
    }
    return switch (purpose) {
      case PAYMENT -> payment(request);
      case LEGAL_ORDER -> legalOrder(request, policies.disclosureRule());
      case SUBJECT_ACCESS -> ExportRequest.TO_SUBJECT.equals(request.recipient()) && !request.subject().isEmpty()
          ? new Decision(true, "the person's own access request", ACCESS)
          : new Decision(false, "access exports go only to the person themself", ACCESS);
      default -> new Decision(false, "biometric data may not leave for " + purpose.wireName()
          + "; only to complete a requested payment or under a recorded legal order", policies.disclosureRule());
    };
  }

  /**
   * A payment completes the transaction its payer asked for, so only the payer's own biometric data may go with it:
   * not data about many people or a party's shared data, and not a companion's (a member of another's party at the
   * time), whose release covers their use in the store and no disclosure.
   */
  private Decision payment(ExportRequest request) {
    String subject = request.subject();
    if (subject.isEmpty() || subject.startsWith(PartyRoster.SHARED_PREFIX)) {
      return new Decision(false, "biometric data leaves for a payment only about its payer, not about "
          + (subject.isEmpty() ? "many people" : "a party's members together"), PAYER);
    }
    for (String payer : roster.partiesOf(subject)) {
      if (roster.members(payer, request.ts()).contains(subject)) {
        return new Decision(false, "the person is a companion in another's party, not the payer; a companion's"
            + " biometric data does not leave with the payer's payment", PAYER);
      }
    }
    return new Decision(true, "completes the financial transaction the person asked for", policies.disclosureRule());
  }

  private static Decision other(ExportRequest request) {
    return switch (request.purpose()) {
      case SALE, MARKETING, MODEL_TRAINING, EMOTION_RECOGNITION, BIOMETRIC_CATEGORISATION ->
          new Decision(false, "personal data may not leave for " + request.purpose().wireName(), NO_SALE);
      case LEGAL_ORDER -> legalOrder(request, LEGAL_ORDER);
      default -> new Decision(true, "personal data used to run the store", NO_SALE);
    };
  }

  private static Decision legalOrder(ExportRequest request, Rule rule) {
    String reference = request.legalOrderReference();
    if (reference == null || reference.strip().length() < 3) {
      return new Decision(false, "no warrant, subpoena or statute reference was recorded", LEGAL_ORDER);
    }
    return new Decision(true, "required by the recorded legal order " + reference.strip(), rule);
  }

  private record Decision(boolean allowed, String reason, Rule rule) {}
}
