package dev.jwo.compliance.intake;

import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.policy.Policies;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.policy.Rule;
import dev.jwo.core.Camera;
import dev.jwo.core.StoreLayout;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checked when the store starts: a store may not declare a camera whose features use a biometric method a law of its
 * place bans outright (Portland City Code 34.10: no face recognition in places of public accommodation). Such a
 * configuration is refused, naming each camera, instead of being run with its features removed frame by frame. (A
 * place the SDK knows no law for is not refused: its fail-closed policy removes every biometric feature instead.)
 */
@Singleton
public final class CameraConfiguration {

  /**
   * @throws ComplianceException REFUSED naming every camera whose declared features a law here bans
   */
  @Inject
  public CameraConfiguration(StoreLayout layout, PolicySet policies) {
    List<String> refused = new ArrayList<>();
    for (Camera camera : layout.cameras()) {
      DataCategory category = DataCategory.ofCameraFeatures(camera.features());
      Modality modality = category.modality();
      if (modality == null || !policies.isBiometric(category)) {
        continue;
      }
      // A law's own ban refuses the configuration; the fail-closed policy of an unknown place only removes features.
      Optional<Rule> ban = policies.policies().stream().filter(p -> !p.equals(Policies.FAIL_CLOSED))
          .map(p -> p.bannedModalities().get(modality)).filter(java.util.Objects::nonNull).findFirst();
      ban.ifPresent(rule -> refused.add("camera " + camera.id() + " declares " + camera.features().wireName()
          + ", but " + rule.summary() + " (" + rule.citation() + ")"));
    }
    if (!refused.isEmpty()) {
      throw ComplianceException.refused("store " + layout.storeId() + " in " + policies.jurisdiction().toUpperCase(
          Locale.ROOT) + " cannot start: " + String.join("; ", refused) + ". Declare those cameras with features"
          + " \"clothing_color\" or \"none\" in the store layout.");
    }
  }
}
