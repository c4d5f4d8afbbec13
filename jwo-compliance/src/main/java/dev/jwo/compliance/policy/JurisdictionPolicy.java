package dev.jwo.compliance.policy;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.Purpose;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rules of one law for one place, as data. Each rule cites its section; a null rule means the law has none of
 * that kind.
 *
 * @param code the jurisdiction it covers, e.g. {@code US-IL}, {@code US-NY-NYC} or {@code EU}
 * @param law the law's name
 * @param version the date of the text modelled here, e.g. the last amendment taken into account
 * @param biometric which data categories this law treats as biometric, and where it says so
 * @param bannedModalities methods the law forbids outright, with the rule
 * @param bannedPurposes purposes for which biometric data may never be used
 * @param consent what consent the law requires before biometric data is collected; null if none
 * @param requiredDocuments documents that must be published before biometric data is collected
 * @param retention how long biometric data may be kept; null if the law sets no limit
 * @param saleBan the ban on selling or profiting from biometric data; null if none
 * @param disclosure the rule on disclosing biometric data to others
 * @param damages what a violation costs
 */
public record JurisdictionPolicy(
    String code,
    String law,
    String version,
    Set<DataCategory> biometric,
    Rule classification,
    Map<Modality, Rule> bannedModalities,
    Map<Purpose, Rule> bannedPurposes,
    @Nullable Rule consent,
    Map<DocumentKind, Rule> requiredDocuments,
    @Nullable RetentionLimit retention,
    @Nullable Rule saleBan,
    Rule disclosure,
    Damages damages) {

  public JurisdictionPolicy {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(law, "law");
    Objects.requireNonNull(version, "version");
    biometric = Set.copyOf(biometric);
    Objects.requireNonNull(classification, "classification");
    bannedModalities = Map.copyOf(bannedModalities);
    bannedPurposes = Map.copyOf(bannedPurposes);
    requiredDocuments = Map.copyOf(requiredDocuments);
    Objects.requireNonNull(disclosure, "disclosure");
    Objects.requireNonNull(damages, "damages");
  }
}
