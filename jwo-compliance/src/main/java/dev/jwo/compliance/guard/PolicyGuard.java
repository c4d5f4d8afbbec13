package dev.jwo.compliance.guard;

import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.consent.Consent;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.policy.Rule;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import dev.jwo.core.visit.Admission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guard built from the store's {@link PolicySet}. For biometric data (as classified here) it allows only the
 * disclosed purpose, checkout tracking, and only when: no applicable law bans the method; the store switched the
 * method on; every document the law requires before collection is published; and, where the law requires consent,
 * every person the data may be from holds their own valid, unwithdrawn signed release for the method at that
 * instant: in a party, each member signed in to the party ({@link PartyRoster}) with a release of their own, since
 * a detection cannot be told apart between members (where no consent is needed, nobody in the party opted out). Non-biometric data may serve running the store, never sale, marketing or
 * model training. Every decision is counted in {@code jwo.compliance.guard.decisions} (category, purpose, outcome)
 * and every denial in {@code jwo.compliance.guard.denials} (category, rule); neither carries anything personal.
 */
@Singleton
public final class PolicyGuard implements ComplianceGuard {
  static final Rule PURPOSE_LIMITATION = new Rule("jwo/purpose-limitation", "jwo policy R8",
      "personal data is never sold or used for marketing or model training");
  static final Rule BIOMETRIC_PURPOSE = new Rule("jwo/biometric-purpose", "jwo policy R8",
      "biometric data is used only for the disclosed purpose: following the shopper for checkout");
  static final Rule STORE_SWITCH = new Rule("jwo/store-modalities", "store setting (R3)",
      "the store has switched this biometric method off");
  static final Rule OPT_OUT = new Rule("jwo/opt-out", "jwo policy R3; Cal. Civ. Code 1798.121",
      "the person opted out of this biometric method");
  static final Rule RUN_THE_STORE = new Rule("jwo/operations", "jwo policy R14",
      "non-biometric data may be used to run the store");

  private final PolicySet policies;
  private final ComplianceSettings settings;
  private final ConsentLedger ledger;
  private final PartyRoster roster;
  private final DocumentLibrary documents;
  private final MeterRegistry registry;
  private final Map<DocumentKind, Rule> requiredDocuments;
  private volatile boolean documentsComplete;

  @Inject
  public PolicyGuard(
      PolicySet policies, ComplianceSettings settings, ConsentLedger ledger, PartyRoster roster,
      DocumentLibrary documents, MeterRegistry registry) {
    this.policies = policies;
    this.settings = settings;
    this.ledger = ledger;
    this.roster = roster;
    this.documents = documents;
    this.registry = registry;
    this.requiredDocuments = policies.requiredDocuments();
  }

  @Override
  public GuardDecision check(DataUse use) {
    GuardDecision decision;
    try {
      decision = decide(use);
    } catch (RuntimeException e) {
      decision = GuardDecision.deny("the guard could not decide (" + e.getClass().getSimpleName() + "); failing closed",
          "jwo policy R1 (fail closed)");
    }
    String category = use.category().wireName();
    registry.counter("jwo.compliance.guard.decisions", "category", category, "purpose", use.purpose().wireName(),
        "outcome", decision.allowed() ? "allowed" : "denied").increment();
    if (!decision.allowed()) {
      registry.counter("jwo.compliance.guard.denials", "category", category, "rule", decision.rule()).increment();
    }
    return decision;
  }

  private GuardDecision decide(DataUse use) {
    DataCategory category = use.category();
    Purpose purpose = use.purpose();
    if (!policies.isBiometric(category)) {
      return switch (purpose) {
        case CHECKOUT_TRACKING, PAYMENT, LEGAL_ORDER, SUBJECT_ACCESS, ANALYTICS ->
            GuardDecision.allow("non-biometric data used to run the store", RUN_THE_STORE.citation());
        default -> deny("personal data is not used for " + purpose.wireName(), PURPOSE_LIMITATION);
      };
    }
    Optional<Rule> purposeBan = policies.purposeBan(purpose);
    if (purposeBan.isPresent()) {
      return deny("biometric data may not be used for " + purpose.wireName() + ": " + purposeBan.get().summary(),
          purposeBan.get());
    }
    if (purpose == Purpose.SALE) {
      Rule rule = policies.saleBan().orElse(PURPOSE_LIMITATION);
      return deny("biometric data is never sold: " + rule.summary(), rule);
    }
    if (purpose != Purpose.CHECKOUT_TRACKING) {
      return deny("biometric data may not be used for " + purpose.wireName(), BIOMETRIC_PURPOSE);
    }
    Modality modality = category.modality();
    if (modality == null) {
      return deny(category.wireName() + " is never used as biometric data", BIOMETRIC_PURPOSE);
    }
    Optional<Rule> ban = policies.modalityBan(modality);
    if (ban.isPresent()) {
      return deny(ban.get().summary(), ban.get());
    }
    if (!settings.enabledModalities().contains(modality)) {
      return deny("the store has switched " + modality.name().toLowerCase(java.util.Locale.ROOT) + " off",
          STORE_SWITCH);
    }
    if (!documentsComplete) {
      for (Map.Entry<DocumentKind, Rule> required : requiredDocuments.entrySet()) {
        if (!documents.published(required.getKey())) {
          return deny("the " + required.getKey().wireName() + " required before collection is not published",
              required.getValue());
        }
      }
      documentsComplete = true;
    }
    Optional<Rule> consentRule = policies.consentRule();
    Admission subject = use.subject();
    if (consentRule.isPresent()) {
      if (subject == null) {
        return deny("the person is not identified, so no signed release can cover them", consentRule.get());
      }
      return partyReleases(subject, modality, use.ts(), consentRule.get());
    }
    if (subject != null) {
      for (String person : roster.people(subject, use.ts()).known()) {
        if (ledger.optedOut(person, modality, use.ts())) {
          return deny(subject.partySize() == 1 ? "the person opted out"
              : "a member of the party opted out, and the party's faces cannot be told apart", OPT_OUT);
        }
      }
    }
    Rule classification = policies.biometricClassification(category).orElse(RUN_THE_STORE);
    return GuardDecision.allow("no consent is required here and the required notices are published",
        classification.citation());
  }

  /**
   * Allowed only when every person who may be the one seen holds their own valid release: the payer alone in a party
   * of one; in a larger party, where the tracker cannot say which member a detection is, every member, each signed in
   * as a member of the party (a payer's release never covers a companion).
   */
  private GuardDecision partyReleases(Admission subject, Modality modality, long ts, Rule consentRule) {
    String method = modality.name().toLowerCase(java.util.Locale.ROOT);
    PartyRoster.PartyPeople people = roster.people(subject, ts);
    if (people.unnamed() > 0) {
      return deny(people.unnamed() + " of this party of " + subject.partySize() + " did not sign in as members with"
          + " their own release, and whose " + method + " a detection is cannot be told, so the party is followed by"
          + " position and clothing only", consentRule);
    }
    List<String> ids = new ArrayList<>();
    for (String person : people.known()) {
      Optional<Consent> consent = ledger.validConsent(person, modality, ts);
      if (consent.isEmpty()) {
        String who = people.known().size() == 1 ? "the person" : "a member of the party";
        String why = ledger.optedOut(person, modality, ts)
            ? who + " withdrew their release" : who + " holds no valid signed release";
        return deny(why + " for " + method, consentRule);
      }
      ids.add(consent.get().id() + " (disclosure " + consent.get().disclosureVersion() + ")");
    }
    return GuardDecision.allow((ids.size() == 1 ? "signed release " : "each person's own signed release: ")
        + String.join(", ", ids) + " covers it", consentRule.citation());
  }

  private static GuardDecision deny(String reason, Rule rule) {
    return GuardDecision.deny(reason, rule.citation());
  }
}
