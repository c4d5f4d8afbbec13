package dev.jwo.compliance.export;

import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.Purpose;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The channels a store has declared for personal data to leave by (its processors and outlets, R8). The
 * {@link ExportGuard} refuses an export on a channel that is not declared here, or that carries more than it
 * declares. A retailer binds its own with {@code OptionalBinder.newOptionalBinder(binder(),
 * ExportChannels.class).setBinding().toInstance(...)}; what each default carries:
 *
 * <ul>
 *   <li>{@link #PAYMENT_PROVIDER}: the payment credential (a processor's token), amounts and the visit id in the
 *       idempotency key; no biometric data, no items.
 *   <li>{@link #RECEIPTS}: a receipt (visit, the shopper's keyed subject, items, totals, exit and decision times); no
 *       biometric data, no raw credential.
 *   <li>{@link #BACK_OFFICE}: what staff and the retailer's own systems read or export about many shoppers
 *       (receipt lists, replay outputs); no biometric data.
 *   <li>{@link #SHOPPER_APP}: the live cart (lines, totals, version) to the party's own app (or staff reading it);
 *       purchases only.
 *   <li>{@link #REVIEW_DESK}: held receipts with their evidence (credential pseudonym, lines, totals, the reasons
 *       naming tracks and shelf events by id) to the store's reviewers; never biometric data.
 * </ul>
 *
 * <p>Subject access goes to the person themself and needs no declared channel.
 */
public record ExportChannels(Map<String, ExportChannel> byRecipient) {
  public static final ExportChannel PAYMENT_PROVIDER = new ExportChannel("payment-provider", Purpose.PAYMENT,
      EnumSet.of(DataCategory.PAYMENT_TOKEN),
      "the payment credential (the processor's token), amounts and the visit id, to complete the payment");
  public static final ExportChannel RECEIPTS = new ExportChannel("receipts", Purpose.PAYMENT,
      EnumSet.of(DataCategory.PURCHASE),
      "a receipt: visit, the shopper's keyed subject, items, totals and times, to the shopper's app or store staff");
  public static final ExportChannel BACK_OFFICE = new ExportChannel("back-office", Purpose.PAYMENT,
      EnumSet.of(DataCategory.PURCHASE, DataCategory.PAYMENT_TOKEN),
      "receipts of many shoppers to store staff and the retailer's accounting (lists, replay outputs)");

  public static final ExportChannel SHOPPER_APP = new ExportChannel("shopper-app", Purpose.CHECKOUT_TRACKING,
      EnumSet.of(DataCategory.PURCHASE),
      "the live cart (lines, totals, version) to the shopping party's own app, or staff helping it, while it shops");
  public static final ExportChannel REVIEW_DESK = new ExportChannel("review-desk", Purpose.PAYMENT,
      EnumSet.of(DataCategory.PURCHASE, DataCategory.LOCATION_TRACK),
      "held receipts with their evidence (lines, totals, track and shelf event ids) to the store's reviewers");

  /** The five channels above. */
  public static final ExportChannels DEFAULTS =
      of(List.of(PAYMENT_PROVIDER, RECEIPTS, BACK_OFFICE, SHOPPER_APP, REVIEW_DESK));

  public ExportChannels {
    byRecipient = Map.copyOf(byRecipient);
    byRecipient.forEach((name, channel) -> {
      if (!name.equals(channel.recipient())) {
        throw new IllegalArgumentException("channel " + channel.recipient() + " is declared under " + name);
      }
    });
  }

  /** The channels given, each under its recipient. */
  public static ExportChannels of(List<ExportChannel> channels) {
    Map<String, ExportChannel> map = new LinkedHashMap<>();
    for (ExportChannel channel : channels) {
      if (map.put(channel.recipient(), channel) != null) {
        throw new IllegalArgumentException("channel " + channel.recipient() + " is declared twice");
      }
    }
    return new ExportChannels(map);
  }

  /** The declared channel to {@code recipient}, if any. */
  public Optional<ExportChannel> channel(String recipient) {
    return Optional.ofNullable(byRecipient.get(recipient));
  }
}
