package dev.jwo.core.grpc;

import dev.jwo.core.BinId;
import dev.jwo.core.CameraId;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.v1.CameraFrame;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.ExitPass;
import dev.jwo.core.v1.PersonDetection;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.WeightReading;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Conversions between the core values and their {@code jwo.core.v1} protos. */
public final class SensorEventProtos {
  private SensorEventProtos() {}

  /**
   * The event a message carries.
   *
   * @throws IllegalArgumentException if the message carries no event (or only a heartbeat), or a value is
   *     missing or out of range; the message says which
   */
  public static SensorEvent fromProto(SensorEventMessage message) {
    return fromProto(message, reference -> Optional.empty());
  }

  /**
   * The event a message carries, with each person's sealed features (see
   * {@link dev.jwo.core.ingest.FeatureIntake}) opened by {@code sealed}; a reference it cannot open yields no
   * features.
   *
   * @throws IllegalArgumentException if the message carries no event (or only a heartbeat), or a value is
   *     missing or out of range; the message says which
   */
  public static SensorEvent fromProto(
      SensorEventMessage message, Function<String, Optional<FeatureVector>> sealed) {
    long ts = message.getTsMs();
    switch (message.getKindCase()) {
      case ENTRY -> {
        EntryScan e = message.getEntry();
        return new EntryEvent(
            ts,
            GateId.of(e.getGate()),
            // Journaled sealed and no longer opened: the credential stands as its keyed subject only.
            e.getCredential().isEmpty() && !e.getCredentialSubject().isEmpty()
                ? Credential.erasedTo(e.getCredentialSubject()) : Credential.of(e.getCredential()),
            e.getPartySize(),
            e.getConsentVersion().isEmpty() ? null : e.getConsentVersion());
      }
      case EXIT -> {
        return new ExitEvent(ts, GateId.of(message.getExit().getGate()));
      }
      case WEIGHT -> {
        WeightReading w = message.getWeight();
        return new WeightEvent(ts, BinId.of(w.getBin()), w.getGrams());
      }
      case FRAME -> {
        CameraFrame f = message.getFrame();
        List<PersonObservation> people = new ArrayList<>(f.getPeopleCount());
        for (PersonDetection p : f.getPeopleList()) {
          List<Point3> hands = new ArrayList<>(p.getHandsCount());
          for (dev.jwo.core.v1.Point3 h : p.getHandsList()) {
            hands.add(fromProto(h));
          }
          FeatureVector features;
          if (!p.getSealedFeatures().isEmpty()) {
            features = sealed.apply(p.getSealedFeatures()).orElse(null);
          } else if (p.getFeaturesCount() == 0) {
            features = null;
          } else {
            features = FeatureVector.of(p.getFeaturesList().stream().mapToDouble(Double::doubleValue).toArray());
          }
          if (!p.hasPosition()) {
            throw new IllegalArgumentException("a person detection has no position");
          }
          PersonObservation.FeatureRemoval removed = p.hasRemovedFeatures()
              ? new PersonObservation.FeatureRemoval(p.getRemovedFeatures().getReason(), p.getRemovedFeatures().getRule())
              : null;
          people.add(new PersonObservation(fromProto(p.getPosition()), hands, removed == null ? features : null,
              removed));
        }
        return new FrameEvent(ts, CameraId.of(f.getCamera()), people);
      }
      case HEARTBEAT -> throw new IllegalArgumentException("a heartbeat carries no event");
      default -> throw new IllegalArgumentException("the message carries no event (set entry, exit, weight or frame)");
    }
  }

  /** A message carrying {@code event}, from {@code source} with {@code sequence}. */
  public static SensorEventMessage toProto(SensorEvent event, String source, long sequence) {
    SensorEventMessage.Builder b =
        SensorEventMessage.newBuilder().setSource(source).setSequence(sequence).setTsMs(event.ts());
    if (event instanceof EntryEvent e) {
      EntryScan.Builder entry = EntryScan.newBuilder()
          .setGate(e.gate().value())
          .setCredential(e.credential().reveal())
          .setPartySize(e.partySize());
      if (e.consentVersion() != null) {
        entry.setConsentVersion(e.consentVersion());
      }
      b.setEntry(entry);
    } else if (event instanceof ExitEvent e) {
      b.setExit(ExitPass.newBuilder().setGate(e.gate().value()));
    } else if (event instanceof WeightEvent w) {
      b.setWeight(WeightReading.newBuilder().setBin(w.bin().value()).setGrams(w.grams()));
    } else if (event instanceof FrameEvent f) {
      CameraFrame.Builder frame = CameraFrame.newBuilder().setCamera(f.camera().value());
      for (PersonObservation p : f.people()) {
        PersonDetection.Builder person = PersonDetection.newBuilder().setPosition(toProto(p.position()));
        for (Point3 hand : p.hands()) {
          person.addHands(toProto(hand));
        }
        FeatureVector features = p.features();
        if (features != null) {
          for (int i = 0; i < features.dimension(); i++) {
            person.addFeatures(features.get(i));
          }
        }
        PersonObservation.FeatureRemoval removed = p.removed();
        if (removed != null) {
          person.setRemovedFeatures(dev.jwo.core.v1.FeatureRemoval.newBuilder()
              .setReason(removed.reason()).setRule(removed.rule()));
        }
        frame.addPeople(person);
      }
      b.setFrame(frame);
    }
    return b.build();
  }

  public static Position fromProto(dev.jwo.core.v1.Position p) {
    return new Position(p.getX(), p.getY());
  }

  public static Point3 fromProto(dev.jwo.core.v1.Point3 p) {
    return new Point3(p.getX(), p.getY(), p.getZ());
  }

  public static dev.jwo.core.v1.Position toProto(Position p) {
    return dev.jwo.core.v1.Position.newBuilder().setX(p.x()).setY(p.y()).build();
  }

  public static dev.jwo.core.v1.Point3 toProto(Point3 p) {
    return dev.jwo.core.v1.Point3.newBuilder().setX(p.x()).setY(p.y()).setZ(p.z()).build();
  }

  public static dev.jwo.core.v1.Money toProto(Money money) {
    return dev.jwo.core.v1.Money.newBuilder()
        .setMinor(money.minor())
        .setCurrency(money.currency().getCurrencyCode())
        .build();
  }

  /** @throws IllegalArgumentException for an unknown currency code */
  public static Money fromProto(dev.jwo.core.v1.Money money) {
    return new Money(money.getMinor(), Currency.getInstance(money.getCurrency()));
  }

  public static dev.jwo.core.v1.SkuQuantity toProto(SkuQuantity item) {
    return dev.jwo.core.v1.SkuQuantity.newBuilder().setSku(item.sku().value()).setQuantity(item.quantity()).build();
  }

  /** The store-log type name of a message's event ({@code entry}, {@code exit}, ...), for counting rejections. */
  public static String typeOf(SensorEventMessage message) {
    return switch (message.getKindCase()) {
      case ENTRY -> "entry";
      case EXIT -> "exit";
      case WEIGHT -> "weight";
      case FRAME -> "frame";
      case HEARTBEAT -> "heartbeat";
      case KIND_NOT_SET -> "unknown";
    };
  }
}
