package dev.jwo.compliance.policy;

import static dev.jwo.compliance.DataCategory.FACE_GEOMETRY;
import static dev.jwo.compliance.DataCategory.GAIT;
import static dev.jwo.compliance.DataCategory.HAND_GEOMETRY;
import static dev.jwo.compliance.DataCategory.RAW_IMAGE;
import static dev.jwo.compliance.DataCategory.VOICEPRINT;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.Purpose;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The jurisdiction policies the SDK knows, and the resolution of a store's jurisdiction string (as in the store
 * log: {@code US-IL}, {@code US-NY-NYC}, {@code DE}) to the combined rule set.
 *
 * <p>Resolution: the string is split at {@code -}; every prefix that has a policy contributes it (a city store gets
 * its state's law and its city's); an EU member state gets the EU's. The most specific part must be known (have a
 * policy, or be known to add nothing); otherwise the {@link #FAIL_CLOSED} policy is added, which allows no biometric
 * use at all. An unknown city therefore fails closed even in a known state: a city may ban what its state allows.
 */
public final class Policies {
  private Policies() {}

  /** The version of this catalog; part of every policy publication record. */
  public static final String CATALOG_VERSION = "2025-07-01";

  private static final Set<DataCategory> BIPA_IDENTIFIERS = EnumSet.of(FACE_GEOMETRY, HAND_GEOMETRY, VOICEPRINT);
  private static final Set<DataCategory> BROAD = EnumSet.of(FACE_GEOMETRY, HAND_GEOMETRY, VOICEPRINT, GAIT);

  public static final JurisdictionPolicy ILLINOIS = new JurisdictionPolicy(
      "US-IL", "Illinois Biometric Information Privacy Act, 740 ILCS 14", "2024-08-02 (SB 2979)",
      BIPA_IDENTIFIERS,
      rule("US-IL/classification", "740 ILCS 14/10",
          "biometric identifiers: retina or iris scan, fingerprint, voiceprint, scan of hand or face geometry;"
              + " not photographs or physical descriptions"),
      Map.of(), Map.of(),
      rule("US-IL/consent", "740 ILCS 14/15(b)",
          "inform in writing of the collection, its specific purpose and length of term, and receive a written"
              + " release signed by the person (an electronic signature counts) before collecting"),
      Map.of(DocumentKind.RETENTION_POLICY, rule("US-IL/retention-policy", "740 ILCS 14/15(a)",
              "a public written retention schedule and destruction guidelines"),
          DocumentKind.CONSENT_DISCLOSURE, rule("US-IL/disclosure", "740 ILCS 14/15(b)(1)-(2)",
              "written notice of the collection, its specific purpose and length of term")),
      new RetentionLimit(Duration.ZERO, Duration.ofDays(3 * 365),
          rule("US-IL/retention", "740 ILCS 14/15(a)",
              "destroy when the initial purpose is satisfied or within 3 years of the last interaction,"
                  + " whichever comes first")),
      rule("US-IL/no-sale", "740 ILCS 14/15(c)", "no selling, leasing, trading or otherwise profiting"),
      rule("US-IL/disclosure-limits", "740 ILCS 14/15(d)",
          "disclose only with consent, to complete a requested financial transaction, as the law requires, or"
              + " under a valid warrant or subpoena"),
      new Damages(Damages.Unit.PER_PERSON_PER_METHOD, 1_000_00, 5_000_00,
          rule("US-IL/damages", "740 ILCS 14/20 (as amended by SB 2979, 2024)",
              "$1,000 per negligent, $5,000 per intentional or reckless violation; repeated collection from the"
                  + " same person by the same method is one violation")));

  public static final JurisdictionPolicy TEXAS = new JurisdictionPolicy(
      "US-TX", "Texas Business and Commerce Code 503.001", "2009-09-01",
      BIPA_IDENTIFIERS,
      rule("US-TX/classification", "Tex. Bus. & Com. Code 503.001(a)",
          "biometric identifier: retina or iris scan, fingerprint, voiceprint, record of hand or face geometry"),
      Map.of(), Map.of(),
      rule("US-TX/consent", "Tex. Bus. & Com. Code 503.001(b)",
          "inform the person before capturing and receive their consent"),
      Map.of(DocumentKind.CONSENT_DISCLOSURE, rule("US-TX/notice", "Tex. Bus. & Com. Code 503.001(b)(1)",
          "inform the person before capture")),
      new RetentionLimit(Duration.ofDays(365), null,
          rule("US-TX/retention", "Tex. Bus. & Com. Code 503.001(c)(3)",
              "destroy within a reasonable time, at the latest one year after the purpose expires")),
      rule("US-TX/no-sale", "Tex. Bus. & Com. Code 503.001(c)(1)", "no sale, lease or other disclosure"),
      rule("US-TX/disclosure-limits", "Tex. Bus. & Com. Code 503.001(c)(1)",
          "disclose only to complete a requested financial transaction, as a statute requires, or under a warrant"),
      new Damages(Damages.Unit.PER_VIOLATION, 25_000_00, 25_000_00,
          rule("US-TX/penalty", "Tex. Bus. & Com. Code 503.001(d)", "civil penalty up to $25,000 per violation")));

  public static final JurisdictionPolicy WASHINGTON = new JurisdictionPolicy(
      "US-WA", "Revised Code of Washington 19.375", "2017-07-23",
      BIPA_IDENTIFIERS,
      rule("US-WA/classification", "RCW 19.375.010(1)",
          "data from automatic measurements of biological characteristics used to identify a person"),
      Map.of(), Map.of(),
      rule("US-WA/consent", "RCW 19.375.020(1)", "notice and consent before enrolling for a commercial purpose"),
      Map.of(DocumentKind.CONSENT_DISCLOSURE, rule("US-WA/notice", "RCW 19.375.020(2)",
          "notice readily available to affected individuals")),
      new RetentionLimit(Duration.ZERO, null,
          rule("US-WA/retention", "RCW 19.375.020(4)(b)", "keep no longer than reasonably necessary")),
      rule("US-WA/no-sale", "RCW 19.375.020(3)", "no sale, lease or disclosure without consent"),
      rule("US-WA/disclosure-limits", "RCW 19.375.020(3)", "disclose only with consent or under the exceptions"),
      new Damages(Damages.Unit.PER_VIOLATION, 7_500_00, 7_500_00,
          rule("US-WA/penalty", "RCW 19.375.030; RCW 19.86.140", "attorney general; civil penalty per violation")));

  public static final JurisdictionPolicy NEW_YORK_CITY = new JurisdictionPolicy(
      "US-NY-NYC", "New York City Administrative Code 22-1201 to 22-1205", "2021-07-09",
      BROAD,
      rule("US-NY-NYC/classification", "NYC Admin. Code 22-1201",
          "biometric identifier information: physiological or biological characteristics used to identify a person"),
      Map.of(), Map.of(),
      null,
      Map.of(DocumentKind.NYC_ENTRANCE_SIGN, rule("US-NY-NYC/sign", "NYC Admin. Code 22-1202(a)",
          "a clear and conspicuous sign near every customer entrance, in plain language")),
      null,
      rule("US-NY-NYC/no-sale", "NYC Admin. Code 22-1202(b)", "no selling, leasing, trading or sharing for value"),
      rule("US-NY-NYC/disclosure-limits", "NYC Admin. Code 22-1202(b)", "no sharing in exchange for anything of value"),
      new Damages(Damages.Unit.PER_VIOLATION, 500_00, 5_000_00,
          rule("US-NY-NYC/damages", "NYC Admin. Code 22-1203", "$500 per violation, $5,000 if intentional")));

  public static final JurisdictionPolicy PORTLAND = new JurisdictionPolicy(
      "US-OR-PDX", "Portland City Code 34.10", "2021-01-01",
      EnumSet.of(FACE_GEOMETRY),
      rule("US-OR-PDX/classification", "Portland City Code 34.10.010", "face recognition technologies"),
      Map.of(Modality.FACE, rule("US-OR-PDX/ban", "Portland City Code 34.10.020",
          "no face recognition technology by private entities in places of public accommodation")),
      Map.of(),
      null, Map.of(), null, null,
      rule("US-OR-PDX/disclosure-limits", "Portland City Code 34.10.020", "face recognition is banned outright"),
      new Damages(Damages.Unit.PER_DAY, 1_000_00, 1_000_00,
          rule("US-OR-PDX/damages", "Portland City Code 34.10.040", "$1,000 per day of violation")));

  public static final JurisdictionPolicy CALIFORNIA = new JurisdictionPolicy(
      "US-CA", "California Consumer Privacy Act as amended by the CPRA, Cal. Civ. Code 1798.100 ff.", "2023-01-01",
      EnumSet.of(RAW_IMAGE, FACE_GEOMETRY, HAND_GEOMETRY, VOICEPRINT, GAIT),
      rule("US-CA/classification", "Cal. Civ. Code 1798.140(c)",
          "biometric information includes imagery of the face or hand from which a template can be extracted,"
              + " voice recordings and gait patterns"),
      Map.of(), Map.of(),
      null,
      Map.of(DocumentKind.CA_NOTICE_AT_COLLECTION, rule("US-CA/notice", "Cal. Civ. Code 1798.100(a); 11 CCR 7012",
          "notice at or before the point of collection, on the premises")),
      new RetentionLimit(Duration.ZERO, null,
          rule("US-CA/retention", "Cal. Civ. Code 1798.100(a)(3)",
              "keep no longer than reasonably necessary for the disclosed purpose")),
      rule("US-CA/limit", "Cal. Civ. Code 1798.121", "use of sensitive personal information limited on request"),
      rule("US-CA/disclosure-limits", "Cal. Civ. Code 1798.121", "sensitive personal information only as necessary"),
      new Damages(Damages.Unit.PER_VIOLATION, 2_500_00, 7_500_00,
          rule("US-CA/penalty", "Cal. Civ. Code 1798.155", "$2,500 per violation, $7,500 if intentional")));

  public static final JurisdictionPolicy COLORADO = new JurisdictionPolicy(
      "US-CO", "Colorado Privacy Act, C.R.S. 6-1-1314 (biometric amendments)", "2025-07-01",
      BROAD,
      rule("US-CO/classification", "C.R.S. 6-1-1303", "biometric identifiers: fingerprint, voiceprint, retina or iris,"
          + " facial map or geometry, other unique biological, physical or behavioural patterns"),
      Map.of(), Map.of(),
      rule("US-CO/consent", "C.R.S. 6-1-1314", "opt-in consent before collection"),
      Map.of(DocumentKind.RETENTION_POLICY, rule("US-CO/retention-policy", "C.R.S. 6-1-1314",
              "a public written policy with a retention schedule and deletion guidelines"),
          DocumentKind.CONSENT_DISCLOSURE, rule("US-CO/disclosure", "C.R.S. 6-1-1314",
              "disclose the purpose and retention before collection")),
      new RetentionLimit(Duration.ZERO, Duration.ofDays(2 * 365),
          rule("US-CO/retention", "C.R.S. 6-1-1314",
              "delete by the earliest of: purpose satisfied, 24 months after the last interaction")),
      rule("US-CO/no-sale", "C.R.S. 6-1-1314", "no selling, leasing or trading"),
      rule("US-CO/disclosure-limits", "C.R.S. 6-1-1314", "disclose only with consent or under the exceptions"),
      new Damages(Damages.Unit.PER_VIOLATION, 20_000_00, 20_000_00,
          rule("US-CO/penalty", "C.R.S. 6-1-112(1)(a)", "civil penalty up to $20,000 per violation")));

  public static final JurisdictionPolicy EUROPEAN_UNION = new JurisdictionPolicy(
      "EU", "GDPR (Regulation (EU) 2016/679) and AI Act (Regulation (EU) 2024/1689)", "2025-02-02",
      BROAD,
      rule("EU/classification", "GDPR Art. 4(14), Art. 9(1)",
          "biometric data from specific technical processing that allows unique identification"),
      Map.of(),
      Map.of(Purpose.EMOTION_RECOGNITION, rule("EU/ai-act-emotion", "AI Act Art. 5(1)(f)",
              "emotion recognition is prohibited (banned at work and in education; refused here everywhere)"),
          Purpose.BIOMETRIC_CATEGORISATION, rule("EU/ai-act-categorisation", "AI Act Art. 5(1)(g)",
              "no categorisation of people by sensitive traits from biometric data")),
      rule("EU/consent", "GDPR Art. 9(2)(a)", "explicit consent for one or more specified purposes"),
      Map.of(DocumentKind.CONSENT_DISCLOSURE, rule("EU/information", "GDPR Art. 13",
              "information at the time of collection: purposes, retention, rights"),
          DocumentKind.RETENTION_POLICY, rule("EU/records", "GDPR Art. 5(1)(e), Art. 30",
              "storage limitation, documented")),
      new RetentionLimit(Duration.ZERO, null,
          rule("EU/erasure", "GDPR Art. 5(1)(e), Art. 17(1)(a)-(b)",
              "erase without undue delay once no longer necessary or when consent is withdrawn")),
      rule("EU/purpose-limitation", "GDPR Art. 5(1)(b)", "no further processing for incompatible purposes"),
      rule("EU/disclosure-limits", "GDPR Art. 9(2)", "disclose only on a lawful basis for special categories"),
      new Damages(Damages.Unit.SHARE_OF_TURNOVER, 0, 0,
          rule("EU/fines", "GDPR Art. 83(5); AI Act Art. 99(3)",
              "up to 4% of worldwide turnover (GDPR), 7% for prohibited AI practices")));

  /** Added for a jurisdiction the SDK does not know: no biometric use at all (R1). */
  public static final JurisdictionPolicy FAIL_CLOSED = new JurisdictionPolicy(
      "*", "no policy for this jurisdiction", CATALOG_VERSION,
      BROAD,
      rule("jwo/fail-closed/classification", "jwo policy R1", "every biometric category is treated as biometric"),
      allModalities(rule("jwo/fail-closed", "jwo policy R1 (fail closed)",
          "the SDK knows no law for this jurisdiction, so it allows no biometric use")),
      Map.of(), null, Map.of(), new RetentionLimit(Duration.ZERO, null,
          rule("jwo/fail-closed/retention", "jwo policy R1", "nothing biometric is kept")),
      rule("jwo/fail-closed/no-sale", "jwo policy R8", "nothing biometric is sold"),
      rule("jwo/fail-closed/disclosure", "jwo policy R8", "nothing biometric is disclosed"),
      new Damages(Damages.Unit.PER_VIOLATION, 0, 0,
          rule("jwo/fail-closed/damages", "jwo policy R13", "unknown: no statute modelled")));

  private static final List<JurisdictionPolicy> ALL = List.of(
      ILLINOIS, TEXAS, WASHINGTON, NEW_YORK_CITY, PORTLAND, CALIFORNIA, COLORADO, EUROPEAN_UNION);

  /** Jurisdiction parts known to add no rule of their own (their parts above or below may). */
  private static final Set<String> KNOWN_WITHOUT_RULES = Set.of("US");

  private static final Set<String> EU_MEMBERS = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
      "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE");

  /** Every policy in the catalog (without {@link #FAIL_CLOSED}). */
  public static List<JurisdictionPolicy> all() {
    return ALL;
  }

  /** The policy for exactly this code, if the catalog has one. */
  public static Optional<JurisdictionPolicy> byCode(String code) {
    return ALL.stream().filter(p -> p.code().equals(code)).findFirst();
  }

  /**
   * The combined policy for a store's jurisdiction string.
   *
   * @throws IllegalArgumentException if the string is blank
   */
  public static PolicySet resolve(String jurisdiction) {
    if (jurisdiction == null || jurisdiction.isBlank()) {
      throw new IllegalArgumentException("a jurisdiction string is required, e.g. US-IL");
    }
    String code = jurisdiction.trim().toUpperCase(Locale.ROOT);
    String[] parts = code.split("-", -1);
    List<JurisdictionPolicy> applicable = new ArrayList<>();
    boolean mostSpecificKnown = false;
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        prefix.append('-');
      }
      prefix.append(parts[i]);
      String key = prefix.toString();
      boolean known = KNOWN_WITHOUT_RULES.contains(key);
      if (i == 0 && EU_MEMBERS.contains(key)) {
        applicable.add(EUROPEAN_UNION);
        known = true;
      }
      Optional<JurisdictionPolicy> policy = byCode(key);
      if (policy.isPresent()) {
        applicable.add(policy.get());
        known = true;
      }
      mostSpecificKnown = known;
    }
    if (!mostSpecificKnown) {
      applicable.add(FAIL_CLOSED);
    }
    // strictest first: the most specific place's rules are quoted first when several forbid the same thing
    List<JurisdictionPolicy> ordered = new ArrayList<>();
    for (int i = applicable.size() - 1; i >= 0; i--) {
      ordered.add(applicable.get(i));
    }
    return new PolicySet(code, ordered);
  }

  private static Rule rule(String id, String citation, String summary) {
    return new Rule(id, citation, summary);
  }

  private static Map<Modality, Rule> allModalities(Rule rule) {
    Map<Modality, Rule> map = new EnumMap<>(Modality.class);
    for (Modality m : Modality.values()) {
      map.put(m, rule);
    }
    return map;
  }
}
