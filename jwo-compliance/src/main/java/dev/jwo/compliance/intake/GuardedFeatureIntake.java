package dev.jwo.compliance.intake;

import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.TemplateRef;
import dev.jwo.core.Camera;
import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Position;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.ingest.FeatureIntake;
import dev.jwo.core.ingest.IntakeCounters;
import dev.jwo.core.ingest.IntakeFrames;
import dev.jwo.core.v1.CameraFrame;
import dev.jwo.core.v1.PersonDetection;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.ShopperLocator;
import io.micrometer.core.instrument.MeterRegistry;
import dev.jwo.compliance.keys.Subjects;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The store's boundary for camera features: before anything of a frame is written, every biometric vector is
 * either sealed in the {@link BiometricVault} under the key of the person it belongs to, with only a reference
 * left in the frame, or removed and never written anywhere. A vector is sealed only when the person standing where
 * it was seen is clearly one shopper of an admitted visit (the tracker's latest positions, within
 * {@value #RADIUS_METRES} m, nobody of another visit about as near) and the {@link ComplianceGuard} allows that
 * person's data of that category for checkout tracking now; everything else is removed (a person nobody can
 * name has released nothing). Non-biometric features (clothing colour) pass as received; the vision stage still
 * asks the guard before it uses them. Features a camera did not declare, or may not send under the capture
 * policy, are removed and counted as forbidden ({@code jwo.intake.forbidden}).
 *
 * <p>The vectors of one person sealed in one commit share one vault row, so that sealing costs one write per
 * person per commit, not per frame. In place of a removed biometric vector the frame carries the guard's reason
 * and rule, so that whoever processes the frame (live, after a restart, in a replay) reports the same drop to the
 * {@code CaptureLog}.
 */
@Singleton
public final class GuardedFeatureIntake implements FeatureIntake {
  /** How far from a tracked body a detection may be and still be taken as that person (a stride, at walking pace). */
  static final double RADIUS_METRES = 1.0;
  private static final String PREFIX = "vault:";
  private static final String UNCLEAR_PERSON = "jwo policy R2 (a release covers only the person who signed it)";
  private static final int OPENED_CACHE = 64;

  private final StoreLayout layout;
  private final ComplianceGuard guard;
  private final PolicySet policies;
  private final ComplianceSettings settings;
  private final BiometricVault vault;
  private final PartyRoster roster;
  private final Subjects subjects;
  private final Optional<ShopperLocator> locator;
  private final IntakeCounters counters;
  private long openedAtDestructions;
  /** Bundles opened recently, by reference prefix (subject/item); replay opens each bundle many times in a row. */
  private final Map<String, List<double[]>> opened = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<double[]>> eldest) {
      return size() > OPENED_CACHE;
    }
  };

  @Inject
  public GuardedFeatureIntake(StoreLayout layout, ComplianceGuard guard, PolicySet policies,
      ComplianceSettings settings, BiometricVault vault, PartyRoster roster, Optional<ShopperLocator> locator,
      Subjects subjects, MeterRegistry registry) {
    this.subjects = subjects;
    this.layout = layout;
    this.guard = guard;
    this.policies = policies;
    this.settings = settings;
    this.vault = vault;
    this.roster = roster;
    this.locator = locator;
    this.counters = new IntakeCounters(registry);
  }

  @Override
  public synchronized List<SensorEventMessage> screen(List<SensorEventMessage> accepted) {
    // Opened values live for one commit: what the vault destroys later is not served from memory.
    opened.clear();
    Map<CameraId, FeatureKind> policy = capturePolicy();
    Map<String, Bundle> bundles = new LinkedHashMap<>();
    // First pass: decide for every vector; keep the decisions in order.
    List<List<@Nullable Decision>> decisions = new ArrayList<>(accepted.size());
    for (SensorEventMessage message : accepted) {
      if (!IntakeFrames.carriesFeatures(message)) {
        decisions.add(List.of());
        continue;
      }
      CameraFrame frame = message.getFrame();
      CameraId camera = CameraId.of(frame.getCamera());
      FeatureKind declared = layout.camera(camera).map(Camera::features).orElse(FeatureKind.NONE);
      FeatureKind allowed = policy.getOrDefault(camera, FeatureKind.NONE);
      List<@Nullable Decision> perPerson = new ArrayList<>(frame.getPeopleCount());
      for (PersonDetection person : frame.getPeopleList()) {
        perPerson.add(decide(person, camera, declared, allowed, message.getTsMs(), bundles));
      }
      decisions.add(perPerson);
    }
    // Seal what may be kept, one row per person and visit, before the frames that refer to it are written.
    Map<Bundle, String> sealedAs = new HashMap<>();
    for (Bundle bundle : bundles.values()) {
      TemplateRef ref = vault.keepAll(keyHolder(bundle.admission, bundle.firstTs), bundle.admission.visitId().value(),
          bundle.category, bundle.vectors, bundle.firstTs);
      String prefix = PREFIX + ref.subject() + "/" + ref.item();
      sealedAs.put(bundle, prefix);
      opened.put(prefix, List.copyOf(bundle.vectors));
      counters.sealed(bundle.kind, bundle.vectors.size());
    }
    // Second pass: write the frames as they may be kept.
    List<SensorEventMessage> screened = new ArrayList<>(accepted.size());
    for (int i = 0; i < accepted.size(); i++) {
      SensorEventMessage message = accepted.get(i);
      List<@Nullable Decision> perPerson = decisions.get(i);
      if (perPerson.isEmpty()) {
        screened.add(message);
        continue;
      }
      int[] index = {0};
      screened.add(IntakeFrames.rewritePeople(message, person -> {
        Decision decision = perPerson.get(index[0]++);
        if (decision == null) {
          return person;
        }
        if (decision.bundle == null) {
          return decision.reason.isEmpty() ? IntakeFrames.withoutFeatures(person)
              : IntakeFrames.removed(person, decision.reason, decision.rule);
        }
        return person.toBuilder().clearFeatures()
            .setSealedFeatures(sealedAs.get(decision.bundle) + "#" + decision.position)
            .build();
      }));
    }
    return screened;
  }

  /**
   * Whose key seals a party's vectors: the payer's when the party is the payer alone; otherwise (every member holds
   * a release, or the guard would have refused) a key shared by the party's people for this visit, since which
   * member a detection is cannot be told.
   */
  private String keyHolder(Admission admission, long ts) {
    if (roster.people(admission, ts).known().size() == 1) {
      return subjects.of(admission.credential());
    }
    return roster.sharedSubject(admission, ts);
  }

  /** What to do with one person's features: keep (null), seal into a bundle, or remove (no bundle). */
  private @Nullable Decision decide(PersonDetection person, CameraId camera, FeatureKind declared,
      FeatureKind allowed, long ts, Map<String, Bundle> bundles) {
    if (!person.getSealedFeatures().isEmpty()) {
      counters.removed(camera, "a gateway may not send sealed references");
      return Decision.REMOVE;
    }
    if (person.getFeaturesCount() == 0) {
      return null;
    }
    if (declared == FeatureKind.NONE) {
      counters.removed(camera, "the camera declares no features");
      return Decision.REMOVE;
    }
    DataCategory category = DataCategory.ofCameraFeatures(declared);
    if (!policies.isBiometric(category)) {
      counters.kept(declared);
      return null;
    }
    if (allowed == FeatureKind.NONE) {
      counters.forbidden(camera);
    }
    Position at = new Position(person.getPosition().getX(), person.getPosition().getY());
    Admission who = locator.flatMap(l -> l.shopperAt(at, ts, RADIUS_METRES)).orElse(null);
    GuardDecision decision = guard.check(new DataUse(category, Purpose.CHECKOUT_TRACKING, who, ts));
    if (who == null || !decision.allowed()) {
      counters.removed(declared, !decision.allowed() ? "not allowed for the person" : "not clearly one shopper");
      return decision.allowed()
          ? Decision.removed("nobody could be told apart where the features were seen, so no one's could be kept",
              UNCLEAR_PERSON)
          : Decision.removed(decision.reason(), decision.rule());
    }
    String key = who.visitId().value() + "|" + category;
    Bundle bundle = bundles.computeIfAbsent(key, k -> new Bundle(who, declared, category, ts));
    bundle.vectors.add(toArray(person));
    return new Decision(bundle, bundle.vectors.size() - 1, "", "");
  }

  @Override
  public synchronized Optional<FeatureVector> open(String reference) {
    int hash = reference.lastIndexOf('#');
    int slash = reference.indexOf('/');
    if (!reference.startsWith(PREFIX) || hash < 0 || slash < 0 || slash > hash) {
      return Optional.empty();
    }
    String prefix = reference.substring(0, hash);
    int position;
    try {
      position = Integer.parseInt(reference.substring(hash + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (vault.destructions() != openedAtDestructions) {
      opened.clear();
      openedAtDestructions = vault.destructions();
    }
    List<double[]> vectors = opened.get(prefix);
    if (vectors == null) {
      Optional<List<double[]>> stored = vault.openAll(reference.substring(PREFIX.length(), slash),
          reference.substring(slash + 1, hash));
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      vectors = stored.get();
      opened.put(prefix, vectors);
    }
    if (position < 0 || position >= vectors.size()) {
      return Optional.empty();
    }
    return Optional.of(FeatureVector.of(vectors.get(position)));
  }

  /**
   * Per camera, the kind it declares where the store may collect that kind at all (not banned where the store is,
   * switched on by the store); otherwise {@link FeatureKind#NONE}. A person's own release is still checked for
   * every vector.
   */
  @Override
  public Map<CameraId, FeatureKind> capturePolicy() {
    Map<CameraId, FeatureKind> policy = new LinkedHashMap<>();
    for (Camera camera : layout.cameras()) {
      FeatureKind kind = camera.features();
      DataCategory category = DataCategory.ofCameraFeatures(kind);
      Modality modality = category.modality();
      boolean allowed = kind != FeatureKind.NONE && (!policies.isBiometric(category)
          || (modality != null && policies.modalityBan(modality).isEmpty()
              && settings.enabledModalities().contains(modality)));
      policy.put(camera.id(), allowed ? kind : FeatureKind.NONE);
    }
    return policy;
  }

  private static double[] toArray(PersonDetection person) {
    double[] values = new double[person.getFeaturesCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = person.getFeatures(i);
    }
    return values;
  }

  /** The vectors of one person, visit and category sealed together. */
  private static final class Bundle {
    final Admission admission;
    final FeatureKind kind;
    final DataCategory category;
    final long firstTs;
    final List<double[]> vectors = new ArrayList<>();

    Bundle(Admission admission, FeatureKind kind, DataCategory category, long firstTs) {
      this.admission = admission;
      this.kind = kind;
      this.category = category;
      this.firstTs = firstTs;
    }
  }

  /**
   * A vector's fate: sealed as the {@code position}-th vector of {@code bundle}, or removed (no bundle), with the
   * reason and rule written in its place when it was a biometric vector.
   */
  private record Decision(@Nullable Bundle bundle, int position, String reason, String rule) {
    static final Decision REMOVE = new Decision(null, -1, "", "");

    static Decision removed(String reason, String rule) {
      return new Decision(null, -1, reason, rule);
    }
  }
}
