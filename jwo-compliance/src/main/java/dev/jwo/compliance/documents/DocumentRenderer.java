package dev.jwo.compliance.documents;

import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DisclosureTerms;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.policy.JurisdictionPolicy;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.policy.RetentionLimit;
import dev.jwo.compliance.policy.Rule;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders the public documents as Markdown from the store's settings and policies. Rendering is deterministic: the
 * same configuration gives the same text, so a new version is published only when something changed.
 */
public final class DocumentRenderer {
  private final String storeName;
  private final ComplianceSettings settings;
  private final PolicySet policies;

  public DocumentRenderer(String storeName, ComplianceSettings settings, PolicySet policies) {
    this.storeName = storeName;
    this.settings = settings;
    this.policies = policies;
  }

  /** The modalities this store uses: switched on by the store and not banned here. */
  public Set<Modality> activeModalities() {
    Set<Modality> active = EnumSet.noneOf(Modality.class);
    for (Modality m : settings.enabledModalities()) {
      if (policies.modalityBan(m).isEmpty()) {
        active.add(m);
      }
    }
    return active;
  }

  /** The documents this store publishes: the retention policy always, signs and notices where the law asks. */
  public List<DocumentKind> kindsToPublish() {
    Map<DocumentKind, Rule> required = policies.requiredDocuments();
    return List.of(DocumentKind.values()).stream()
        .filter(k -> k == DocumentKind.RETENTION_POLICY || (k != DocumentKind.CONSENT_DISCLOSURE
            && required.containsKey(k)))
        .toList();
  }

  /** The Markdown of a document other than a disclosure. */
  public String render(DocumentKind kind) {
    return switch (kind) {
      case RETENTION_POLICY -> retentionPolicy();
      case NYC_ENTRANCE_SIGN -> nycSign();
      case CA_NOTICE_AT_COLLECTION -> californiaNotice();
      case CONSENT_DISCLOSURE -> throw new IllegalArgumentException("render a disclosure with disclosure(terms)");
    };
  }

  /** The written disclosure for {@code terms}: what is collected, the specific purpose and the length of term. */
  public String disclosure(DisclosureTerms terms) {
    StringBuilder md = new StringBuilder();
    md.append("# Written disclosure: biometric data (").append(terms.version()).append(")\n\n");
    md.append(settings.controllerName()).append(" operates store ").append(storeName).append(" (")
        .append(policies.jurisdiction()).append("). If you sign the written release below, its cameras will collect")
        .append(" and store **").append(modalityWords(terms.modalities())).append("** computed from your image while")
        .append(" you are in the store.\n\n");
    md.append("## Specific purpose\n\n").append("We use it only ").append(terms.purposeText()).append(".\n\n");
    md.append("## Length of term\n\n");
    md.append("- The data is destroyed when the purpose is satisfied: when your visit has been settled")
        .append(afterPurposeWords()).append(".\n");
    md.append("- In any case it is destroyed no later than ").append(days(maxAfterLastInteraction()))
        .append(" after your last interaction with us.\n");
    md.append("- This release is valid for ").append(days(terms.consentValidFor()))
        .append(" from signing, unless you withdraw it earlier.\n\n");
    md.append("## Your choice\n\n");
    md.append("- You may shop without signing: the store then follows you by position and clothing colour. Its")
        .append(" cameras still see you and send what they compute to the store's server, which removes your")
        .append(" biometric data there, before anything is written: it is never used to follow you and never kept.\n");
    md.append("- In a party, each person signs for themself, in the app, as a member of the party; one person's")
        .append(" release never covers another. Unless everyone in the party has signed, nobody in it is followed by")
        .append(" biometric data.\n");
    md.append("- You may withdraw this release at any time in the app or at ").append(settings.contact())
        .append("; capture stops at once and what is held about you is destroyed.\n");
    md.append("- We never sell, lease, trade or otherwise profit from biometric data, and disclose it only to")
        .append(" complete a payment you asked for or as a valid warrant or subpoena requires.\n\n");
    md.append("## Release\n\n");
    md.append("By signing, electronically or on paper, I confirm that I have read this disclosure and I release ")
        .append(settings.controllerName()).append(" to collect and store my ")
        .append(modalityWords(terms.modalities())).append(" for the purpose and term stated above.\n");
    return md.toString();
  }

  /** How many days the path a visit walked is kept after it, as published (the vision module keeps it so long). */
  public static final int PATH_KEPT_DAYS = 30;

  private String retentionPolicy() {
    StringBuilder md = new StringBuilder();
    md.append("# Biometric data retention schedule and destruction guidelines\n\n");
    md.append(settings.controllerName()).append(", store ").append(storeName).append(", jurisdiction ")
        .append(policies.jurisdiction()).append(".\n\n");
    md.append("## What we collect\n\n");
    Set<Modality> active = activeModalities();
    if (active.isEmpty()) {
      md.append("- This store collects no biometric data. It follows shoppers by position alone.\n");
    } else {
      md.append("- ").append(capitalized(modalityWords(active)))
          .append(", only where the law allows it and, where the law asks for it, only from shoppers who signed a")
          .append(" written release.\n");
    }
    for (Modality m : Modality.values()) {
      policies.modalityBan(m).ifPresent(rule -> md.append("- Never ").append(modalityWords(Set.of(m)))
          .append(": ").append(rule.summary()).append(" (").append(rule.citation()).append(").\n"));
    }
    md.append("\n## Why\n\n");
    for (DisclosureTerms terms : settings.disclosures()) {
      md.append("- ").append(capitalized(terms.purposeText())).append(" (disclosure ").append(terms.version())
          .append(").\n");
    }
    md.append("\n## Retention schedule\n\n");
    md.append("- Biometric data is destroyed when the purpose for which it was collected is satisfied, that is when")
        .append(" the shopper's visit has been settled").append(afterPurposeWords()).append(", or ")
        .append(days(maxAfterLastInteraction()))
        .append(" after the shopper's last interaction with us, whichever comes first.\n");
    for (JurisdictionPolicy policy : policies.policies()) {
      RetentionLimit limit = policy.retention();
      if (limit != null) {
        md.append("- ").append(limit.rule().citation()).append(": ").append(limit.rule().summary()).append(".\n");
      }
    }
    md.append("- The path a visit's shoppers walked (positions in the store once a second; not biometric data) is")
        .append(" kept ").append(PATH_KEPT_DAYS).append(" days after the visit, then deleted.\n");
    md.append("- Destruction is delayed only by a valid warrant or subpoena, recorded with its reference, and only")
        .append(" for as long as it requires.\n\n");
    md.append("## How we destroy it\n\n");
    md.append("- Each person's biometric data is encrypted at rest with a key of its own (AES-256-GCM), itself")
        .append(" encrypted with the store's master key. Destroying the person's key makes every copy in the store's")
        .append(" database unreadable, permanently.\n");
    md.append("- Destruction does not reach backups of the database taken before it: such a backup still holds the")
        .append(" person's encrypted data and their encrypted key, readable with the store's master key. Keep backups")
        .append(" no longer than this schedule allows, and the master key apart from them; a restored backup destroys")
        .append(" what fell due under this schedule at its first event, but not data that was deleted on request")
        .append(" after the backup was taken, which must then be deleted again. Rotating the store's master key and")
        .append(" destroying the old one makes the biometric data of every backup taken before the rotation")
        .append(" unreadable.\n");
    md.append("- Every destruction is recorded in a tamper-evident audit log.\n\n");
    md.append("## What we never do\n\n");
    md.append("- We do not sell, lease, trade or otherwise profit from biometric data.\n");
    md.append("- We disclose it only to complete a payment the shopper asked for, or as a valid warrant or subpoena")
        .append(" requires; every attempt to export it is recorded.\n");
    md.append("- Biometric data is not written to this software's logs, metrics, telemetry or sensor-input journal:")
        .append(" camera features are screened when they reach the store's server, before anything is written, and")
        .append(" the journal keeps only references to sealed data. What camera gateways and the network record")
        .append(" before the server is outside this software.\n\n");
    md.append("## Requests\n\n");
    md.append("- To see what we hold about you, have it deleted, or withdraw consent, use the app or contact ")
        .append(settings.contact()).append(".\n");
    return md.toString();
  }

  private String nycSign() {
    Set<Modality> active = activeModalities();
    StringBuilder md = new StringBuilder();
    md.append("# Biometric Identifier Information Collected at This Location\n\n");
    if (active.isEmpty()) {
      md.append("This business collects no biometric identifier information at this location.\n\n");
    } else {
      md.append("This business collects, retains, converts, stores or shares customers' biometric identifier")
          .append(" information, which may include **").append(modalityWords(active)).append("**.\n\n");
    }
    md.append("- It is used to follow shoppers through the store and charge them for what they take.\n");
    md.append("- It is never sold, leased, traded or shared for anything of value.\n");
    md.append("- Our retention and destruction policy, and how to ask about your data: ").append(settings.contact())
        .append(".\n\n");
    md.append("New York City Administrative Code 22-1202(a).\n");
    return md.toString();
  }

  private String californiaNotice() {
    StringBuilder md = new StringBuilder();
    md.append("# Notice at collection\n\n");
    md.append(settings.controllerName()).append(" collects the following personal information at this store (")
        .append(storeName).append("). We do not sell or share it.\n\n");
    md.append("## Categories, purposes and retention\n\n");
    Set<Modality> active = activeModalities();
    for (Modality m : active) {
      md.append("- **").append(modalityWords(Set.of(m))).append("** (sensitive personal information, biometric):")
          .append(" to follow you through the store and charge you correctly; destroyed when your visit is settled")
          .append(afterPurposeWords()).append(", at most ").append(days(maxAfterLastInteraction()))
          .append(" after your last visit.\n");
    }
    md.append("- **Location in the store**: to know what you took. Where the cameras saw people is kept, without a")
        .append(" name, credential or track number, in the store's sensor-input journal until a restart no longer")
        .append(" needs it and the store's input retention period has passed, then discarded. The path your party")
        .append(" walked (where each of you was on the floor, once a second, without image or biometric data) is kept")
        .append(" with your visit for ").append(PATH_KEPT_DAYS).append(" days after it ends, then deleted; you")
        .append(" can see it, and have it deleted, on request. Which shelf bin you took each")
        .append(" item from or put it back to, and when, is kept in your visit's cart record until the payment is")
        .append(" final and the store's dispute window has passed, then deleted (a visit that is never settled is")
        .append(" closed at the store's limit, with nothing charged, and deleted then). Your receipt keeps what you")
        .append(" bought, not where you went.\n");
    md.append("- **Clothing appearance** (colour): to tell shoppers apart while you are in the store; kept with the")
        .append(" positions in the store's sensor-input journal until a restart no longer needs it and the store's")
        .append(" input retention period has passed, then discarded.\n");
    md.append("- **Payment token** (the card or app credential you enter with): to charge you; sent only to the")
        .append(" payment processor. Kept with your visit's payment and receipt until the payment is final (captured,")
        .append(" voided, refunded or failed) and the store's dispute window has passed, then replaced by a keyed")
        .append(" pseudonym that does not reveal it (a visit that is never settled is closed at the store's limit,")
        .append(" with nothing charged, and its token replaced then). The sensor-input journal keeps your entry")
        .append(" with the token only encrypted, under a key destroyed at that same time, and the keyed")
        .append(" pseudonym.\n");
    md.append("- **Age** (when your app verifies it): to sell you age-restricted items; kept under the keyed")
        .append(" pseudonym for a year after it was verified, then deleted. A staff check of restricted items you")
        .append(" took, and a review of your visit's receipt, are kept with your visit's payment records and deleted")
        .append(" with them.\n");
    md.append("- **Purchases**: to charge you and give you a receipt; kept as the law on accounting records")
        .append(" requires.\n\n");
    md.append("## Your rights\n\n");
    md.append("- You may limit the use of your sensitive personal information, see what we hold, and have it")
        .append(" deleted: use the app or contact ").append(settings.contact()).append(". A deletion destroys your")
        .append(" biometric data and deletes at once your verified age, the incidents recorded about your visits, and")
        .append(" their staff checks and reviews once resolved (one still open decides your charge and goes with your")
        .append(" visit's payment records). It also deletes what ties you to another shopper's party, and the")
        .append(" details of your app session kept with your signed releases; what you signed, and when, is kept as")
        .append(" evidence, and biometric capture is withdrawn. Your payment token, cart record and receipts are kept")
        .append(" as said above (a receipt belongs to the person who paid), backups taken before the deletion still")
        .append(" hold what they held, and the store's database may keep deleted records in unused space of its files")
        .append(" until it overwrites them.\n\n");
    md.append("Cal. Civ. Code 1798.100 and 1798.121; 11 CCR 7012.\n");
    return md.toString();
  }

  /** The longest anything biometric is kept after the last interaction, law and store combined. */
  Duration maxAfterLastInteraction() {
    Duration max = settings.retainAfterLastInteraction();
    for (JurisdictionPolicy policy : policies.policies()) {
      RetentionLimit limit = policy.retention();
      if (limit != null && limit.afterLastInteraction() != null && limit.afterLastInteraction().compareTo(max) < 0) {
        max = limit.afterLastInteraction();
      }
    }
    return max;
  }

  private String afterPurposeWords() {
    Duration after = settings.retainAfterPurpose();
    Optional<Duration> legal = policies.policies().stream().map(JurisdictionPolicy::retention)
        .filter(l -> l != null && l.afterPurposeSatisfied() != null)
        .map(l -> l.afterPurposeSatisfied())
        .min(Duration::compareTo);
    if (legal.isPresent() && legal.get().compareTo(after) < 0) {
      after = legal.get();
    }
    return after.isZero() ? "" : " plus at most " + days(after);
  }

  static String days(Duration d) {
    long days = d.toDays();
    return days == 1 ? "1 day" : days + " days";
  }

  static String modalityWords(Set<Modality> modalities) {
    return EnumSet.copyOf(modalities).stream().map(m -> switch (m) {
      case FACE -> "face geometry";
      case HAND -> "hand geometry";
      case VOICE -> "voiceprints";
      case GAIT -> "gait";
    }).collect(Collectors.joining(", "));
  }

  private static String capitalized(String text) {
    return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
  }

  /** The category words used in documents, e.g. {@code face geometry}. */
  static String categoryWords(DataCategory category) {
    return category.wireName().replace('_', ' ');
  }
}
