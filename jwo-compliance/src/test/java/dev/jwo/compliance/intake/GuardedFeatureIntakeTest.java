package dev.jwo.compliance.intake;

import static dev.jwo.compliance.ComplianceFixture.T;
import static dev.jwo.compliance.ComplianceFixture.admission;
import static dev.jwo.compliance.ComplianceFixture.pseudonym;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.util.Modules;
import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.Disclosure;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.subject.SubjectRequests;
import dev.jwo.compliance.consent.SignatureEvidence;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.CameraId;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.ingest.FeatureIntake;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.v1.CameraFrame;
import dev.jwo.core.v1.PersonDetection;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.WeightReading;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.ShopperLocator;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** At the store's boundary a face vector is sealed under its person's key or never written at all. */
class GuardedFeatureIntakeTest {
  static final Admission ALICE = admission("c-alice", T, null);
  static final Admission BOB = admission("c-bob", T, null);
  static final double[] FACE = {0.123456789, 0.987654321, 0.5550001, 0.314159265};

  private final StandingShoppers standing = new StandingShoppers();

  @Test
  void aFaceOfAShopperWithAReleaseIsSealedAndOnlyAReferenceIsLeft() {
    Injector store = store("US-IL");
    sign(store, "c-alice");
    standing.at(new Position(3, 3), ALICE);
    FeatureIntake intake = store.getInstance(FeatureIntake.class);

    SensorEventMessage screened = intake.screen(List.of(frame(person(3.2, 3, FACE)))).get(0);

    PersonDetection kept = screened.getFrame().getPeople(0);
    assertThat(kept.getFeaturesCount()).isZero();
    assertThat(kept.getSealedFeatures()).startsWith("vault:" + pseudonym("c-alice") + "/");
    assertThat(intake.open(kept.getSealedFeatures())).hasValueSatisfying(v -> assertThat(v.toArray()).containsExactly(FACE));
    assertThat(store.getInstance(BiometricVault.class).held(pseudonym("c-alice"))).hasSize(1);
    assertThat(counted(store, "sealed")).isEqualTo(1);
  }

  @Test
  void aFaceOfAShopperWithoutAReleaseIsRemovedAndNothingOfItIsWritten() {
    Injector store = store("US-IL");
    standing.at(new Position(3, 3), BOB);
    FeatureIntake intake = store.getInstance(FeatureIntake.class);

    SensorEventMessage screened = intake.screen(List.of(frame(person(3, 3, FACE)))).get(0);

    assertThat(screened.getFrame().getPeople(0).getFeaturesCount()).isZero();
    assertThat(screened.getFrame().getPeople(0).getSealedFeatures()).isEmpty();
    assertThat(screened.getFrame().getPeople(0).getPosition().getX()).isEqualTo(3);
    assertThat(store.getInstance(BiometricVault.class).size()).isZero();
    assertThat(counted(store, "removed")).isEqualTo(1);
    assertNoFaceAtRest(store);
  }

  @Test
  void aFaceNobodyCanBeClearlyNamedForIsRemovedEvenBesideAShopperWithARelease() {
    Injector store = store("US-IL");
    sign(store, "c-alice");
    standing.at(new Position(3, 3), ALICE);
    standing.at(new Position(3.3, 3), BOB);
    FeatureIntake intake = store.getInstance(FeatureIntake.class);

    List<SensorEventMessage> screened = intake.screen(List.of(frame(person(3.1, 3, FACE)), frame(person(8, 6, FACE))));

    assertThat(screened).allSatisfy(m -> assertThat(m.getFrame().getPeople(0).getFeaturesCount()).isZero())
        .allSatisfy(m -> assertThat(m.getFrame().getPeople(0).getSealedFeatures()).isEmpty());
    assertNoFaceAtRest(store);
  }

  @Test
  void aGatewayCannotSmuggleASealedReferenceOrFeaturesTheCameraDoesNotDeclare() {
    Injector store = store("US-IL");
    sign(store, "c-alice");
    standing.at(new Position(3, 3), ALICE);
    FeatureIntake intake = store.getInstance(FeatureIntake.class);
    String sealed = intake.screen(List.of(frame(person(3, 3, FACE)))).get(0).getFrame().getPeople(0)
        .getSealedFeatures();

    SensorEventMessage forged = frame(PersonDetection.newBuilder()
        .setPosition(dev.jwo.core.v1.Position.newBuilder().setX(3).setY(3)).setSealedFeatures(sealed));
    SensorEventMessage screened = intake.screen(List.of(forged)).get(0);

    assertThat(screened.getFrame().getPeople(0).getSealedFeatures()).isEmpty();
    assertThat(store.getInstance(MeterRegistry.class).get("jwo.intake.forbidden").tag("camera", "cam-f").counter()
        .count()).isEqualTo(1);
  }

  @Test
  void aPortlandStoreWithAFaceCameraRefusesToStartNamingTheCameraAndTheOrdinance() {
    assertThatThrownBy(() -> store("US-OR-PDX"))
        .isInstanceOf(com.google.inject.CreationException.class)
        .hasMessageContaining("camera cam-f declares face_geometry")
        .hasMessageContaining("Portland City Code 34.10.020")
        .hasMessageContaining("clothing_color");
  }

  @Test
  void aPortlandStoreWithAClothingCameraStartsAndPublishesNoFaceKindInItsCapturePolicy() {
    Injector store = Guice.createInjector(Modules.override(new CoreModule(
        ComplianceFixture.store("US-OR-PDX", FeatureKind.CLOTHING_COLOR)), new ComplianceModule())
        .with(new AbstractModule() {
          @Override
          protected void configure() {
            com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), dev.jwo.compliance.keys.SubjectKey.class)
                .setBinding().toInstance(dev.jwo.compliance.ComplianceFixture.SUBJECT_KEY);
            bind(ShopperLocator.class).toInstance(standing);
          }
        }));
    standing.at(new Position(3, 3), ALICE);
    FeatureIntake intake = store.getInstance(FeatureIntake.class);

    assertThat(intake.capturePolicy()).containsExactly(Map.entry(CameraId.of("cam-f"), FeatureKind.CLOTHING_COLOR));
    assertThat(store.getInstance(BiometricVault.class).size()).isZero();
  }

  @Test
  void aPartyWhoseMembersEachHoldAReleaseSealsUnderAKeyEachMemberCanSeeAndDelete() {
    Injector store = store("US-IL");
    Admission family = familyWhereEachSigned(store);
    FeatureIntake intake = store.getInstance(FeatureIntake.class);

    String sealed = intake.screen(List.of(frame(person(3, 3, FACE)))).get(0).getFrame().getPeople(0)
        .getSealedFeatures();

    assertThat(sealed).startsWith("vault:party:" + family.visitId().value() + "/");
    SubjectRequests requests = store.getInstance(SubjectRequests.class);
    assertThat(requests.access(pseudonym("c-kid"), T + 2_000).templatesHeld()).isEqualTo(1);
    requests.delete(pseudonym("c-kid"), Channel.APP, T + 3_000);
    assertThat(intake.open(sealed)).as("the companion's deletion reaches the party's key").isEmpty();
  }

  @Test
  void aPartyWithACompanionWithoutAReleaseKeepsNoFace() {
    Injector store = store("US-IL");
    sign(store, "c-alice");
    dev.jwo.core.Credential alice = dev.jwo.core.Credential.of("c-alice");
    standing.at(new Position(3, 3), new Admission(Admission.visitIdFor(dev.jwo.core.GateId.of("in-1"), T), T, dev.jwo.core.GateId.of("in-1"),
        alice, 2, null));

    PersonDetection screened = store.getInstance(FeatureIntake.class).screen(List.of(frame(person(3, 3, FACE))))
        .get(0).getFrame().getPeople(0);

    assertThat(screened.getSealedFeatures()).isEmpty();
    assertThat(screened.getRemovedFeatures().getReason()).contains("did not sign in as members");
    assertNoFaceAtRest(store);
  }

  /** R5, 740 ILCS 14/15(a): the published schedule (destroyed once the visit is settled) holds for a companion too. */
  @Test
  void aCompanionsFaceIsDestroyedWhenThePartysVisitIsSettledAsThePublishedScheduleSays() {
    Injector store = store("US-IL");
    assertThat(retentionPolicy(store)).contains("that is when the shopper's visit has been settled");
    Admission family = familyWhereEachSigned(store);
    FeatureIntake intake = store.getInstance(FeatureIntake.class);
    String sealed = intake.screen(List.of(frame(person(3, 3, FACE)))).get(0).getFrame().getPeople(0)
        .getSealedFeatures();
    assertThat(intake.open(sealed)).isPresent();

    store.getInstance(VisitCompliance.class).visitEnded(family, T + 60_000);

    assertThat(intake.open(sealed)).as("the companion's face, once the party's visit is settled").isEmpty();
    assertThat(store.getInstance(SubjectRequests.class).access(pseudonym("c-kid"), T + 61_000).templatesHeld())
        .isZero();
  }

  /** R5, 740 ILCS 14/15(a)-(b): the policy keeps faces only of those who signed; a companion who did not has none. */
  @Test
  void aCompanionWithoutAReleaseHasNothingKeptAsThePublishedPolicySays() {
    Injector store = store("US-IL");
    assertThat(retentionPolicy(store)).contains("only from shoppers who signed a written release");
    sign(store, "c-alice");
    alicesPartyOfTwoAt33();

    store.getInstance(FeatureIntake.class).screen(List.of(frame(person(3, 3, FACE))));

    assertThat(store.getInstance(SubjectRequests.class).access(pseudonym("c-kid"), T + 2_000).templatesHeld())
        .isZero();
    assertNoFaceAtRest(store);
  }

  /**
   * R6, 740 ILCS 14/15(a): a companion's face is destroyed within three years of their last interaction even when
   * the party's visit never ends (no settlement to trigger it).
   */
  @Test
  void aCompanionsFaceIsDestroyedWithinThreeYearsOfTheLastInteractionWhenTheVisitNeverEnds() {
    Injector store = store("US-IL");
    familyWhereEachSigned(store);
    FeatureIntake intake = store.getInstance(FeatureIntake.class);
    String sealed = intake.screen(List.of(frame(person(3, 3, FACE)))).get(0).getFrame().getPeople(0)
        .getSealedFeatures();
    BiometricVault vault = store.getInstance(BiometricVault.class);

    vault.destroyDue(T + 1_001);
    assertThat(intake.open(sealed)).as("kept while the visit goes on").isPresent();
    vault.destroyDue(T + 1_000 + 3 * 365 * ComplianceFixture.DAY);

    assertThat(intake.open(sealed)).isEmpty();
    assertThat(store.getInstance(SubjectRequests.class).access(pseudonym("c-kid"), T + 2_000).templatesHeld())
        .isZero();
  }

  /** R6, 740 ILCS 14/15(a): nothing of a companion without a release is scheduled, because nothing is kept. */
  @Test
  void aCompanionWithoutAReleaseLeavesNothingOnTheRetentionSchedule() {
    Injector store = store("US-IL");
    sign(store, "c-alice");
    alicesPartyOfTwoAt33();

    store.getInstance(FeatureIntake.class).screen(List.of(frame(person(3, 3, FACE))));

    assertThat(store.getInstance(RetentionSchedule.class).all()).isEmpty();
    assertThat(store.getInstance(BiometricVault.class).hasKey(pseudonym("c-kid"))).isFalse();
  }

  /** Alice and the kid each sign; the kid joins Alice's party in the app; the party stands at (3, 3). */
  private Admission familyWhereEachSigned(Injector store) {
    sign(store, "c-alice");
    sign(store, "c-kid");
    store.getInstance(PartyRoster.class).join(pseudonym("c-alice"), pseudonym("c-kid"), Channel.APP, T);
    return alicesPartyOfTwoAt33();
  }

  /** Alice's party of two, admitted on her credential at the entry gate, stands at (3, 3). */
  private Admission alicesPartyOfTwoAt33() {
    dev.jwo.core.GateId gate = dev.jwo.core.GateId.of("in-1");
    Admission family = new Admission(Admission.visitIdFor(gate, T), T, gate, dev.jwo.core.Credential.of("c-alice"), 2,
        null);
    standing.at(new Position(3, 3), family);
    return family;
  }

  private static String retentionPolicy(Injector store) {
    return store.getInstance(DocumentLibrary.class).latest(dev.jwo.compliance.DocumentKind.RETENTION_POLICY)
        .orElseThrow().markdown();
  }

  @Test
  void otherMessagesPassUnchanged() {
    Injector store = store("US-IL");
    SensorEventMessage weight = SensorEventMessage.newBuilder().setSource("gw").setSequence(1).setTsMs(T)
        .setWeight(WeightReading.newBuilder().setBin("A1-1").setGrams(10)).build();
    SensorEventMessage noFeatures = frame(PersonDetection.newBuilder()
        .setPosition(dev.jwo.core.v1.Position.newBuilder().setX(3).setY(3)));

    assertThat(store.getInstance(FeatureIntake.class).screen(List.of(weight, noFeatures)))
        .containsExactly(weight, noFeatures);
  }

  @Test
  void aSealedFaceCannotBeOpenedOnceItsVisitsDataIsDestroyed() {
    Injector store = store("US-IL");
    sign(store, "c-alice");
    standing.at(new Position(3, 3), ALICE);
    FeatureIntake intake = store.getInstance(FeatureIntake.class);
    String sealed = intake.screen(List.of(frame(person(3, 3, FACE)))).get(0).getFrame().getPeople(0)
        .getSealedFeatures();
    assertThat(intake.open(sealed)).isPresent();

    store.getInstance(BiometricVault.class).destroySubject(pseudonym("c-alice"), "deletion request", "test", T + 1);

    assertThat(intake.open(sealed)).isEmpty();
  }

  private Injector store(String jurisdiction) {
    Injector injector = Guice.createInjector(Modules.override(new CoreModule(ComplianceFixture.store(jurisdiction)),
        new ComplianceModule()).with(new AbstractModule() {
          @Override
          protected void configure() {
            com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), dev.jwo.compliance.keys.SubjectKey.class)
                .setBinding().toInstance(dev.jwo.compliance.ComplianceFixture.SUBJECT_KEY);
            bind(ShopperLocator.class).toInstance(standing);
          }
        }));
    injector.getInstance(VisitCompliance.class).ensurePublished(T);
    return injector;
  }

  private static void sign(Injector store, String credential) {
    Disclosure d = store.getInstance(DocumentLibrary.class).currentDisclosure().orElseThrow();
    store.getInstance(ConsentLedger.class).record(pseudonym(credential), d, d.modalities(),
        new SignatureEvidence("app-tap-to-sign", d.sha256(), "test app"), Channel.APP, T);
  }

  private static double counted(Injector store, String outcome) {
    return store.getInstance(MeterRegistry.class).get("jwo.intake.features").tag("kind", "face_geometry")
        .tag("outcome", outcome).counter().count();
  }

  private static PersonDetection.Builder person(double x, double y, double[] features) {
    PersonDetection.Builder person = PersonDetection.newBuilder()
        .setPosition(dev.jwo.core.v1.Position.newBuilder().setX(x).setY(y));
    for (double v : features) {
      person.addFeatures(v);
    }
    return person;
  }

  private static SensorEventMessage frame(PersonDetection.Builder person) {
    return SensorEventMessage.newBuilder().setSource("cam-gw").setSequence(1).setTsMs(T + 1_000)
        .setFrame(CameraFrame.newBuilder().setCamera("cam-f").addPeople(person)).build();
  }

  /** No byte sequence of the face's values, in any usual binary or text form, lies in any table or stream. */
  private static void assertNoFaceAtRest(Injector store) {
    var storage = store.getInstance(dev.jwo.core.storage.StoreStorage.class);
    List<byte[]> atRest = new ArrayList<>();
    for (String table : List.of(BiometricVault.DATA, BiometricVault.KEYS, "compliance_retention")) {
      for (KeyedValue row : storage.table(table).scan("")) {
        atRest.add(row.value().value());
      }
    }
    for (String stream : storage.journal().streams("")) {
      storage.journal().read(stream, 0, 10_000).forEach(e -> atRest.add(e.record().payload()));
    }
    for (byte[] bytes : atRest) {
      for (double v : FACE) {
        assertThat(contains(bytes, ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array())).isFalse();
        assertThat(contains(bytes, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array()))
            .isFalse();
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(Double.toString(v));
      }
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[i + k] != needle[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Shoppers standing still where the test puts them. */
  static final class StandingShoppers implements ShopperLocator {
    private final List<Map.Entry<Position, Admission>> people = new ArrayList<>();

    void at(Position position, Admission who) {
      people.add(Map.entry(position, who));
    }

    @Override
    public List<HandSighting> handsNear(Point3 point, double radiusMetres, long fromTs, long toTs) {
      return List.of();
    }

    @Override
    public Optional<Admission> shopperAt(Position position, long ts, double radiusMetres) {
      Map.Entry<Position, Admission> nearest = null;
      double best = Double.POSITIVE_INFINITY;
      double second = Double.POSITIVE_INFINITY;
      for (Map.Entry<Position, Admission> p : people) {
        double d = p.getKey().distanceTo(position);
        if (d < best) {
          second = best;
          best = d;
          nearest = p;
        } else if (d < second) {
          second = d;
        }
      }
      if (nearest == null || best > radiusMetres || second <= best + 0.4) {
        return Optional.empty();
      }
      return Optional.of(nearest.getValue());
    }
  }
}
