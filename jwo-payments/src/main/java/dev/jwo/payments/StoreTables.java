package dev.jwo.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A store's tables as data: its sales tax ({@link TaxTable}) and its restricted-item rules ({@link RestrictionRules}),
 * read from a settings file beside {@code store.json} ({@value #FILE_NAME}; the store log's format has no place for
 * them). Either part may be left out (no tax; the default restrictions). Every product named must be in the store's
 * catalog, every field is known, and a mistake is refused with an error naming the file and the field, e.g.
 * {@code store-settings.json: tax.rates_percent.food: ...}.
 *
 * <pre>{@code
 * {
 *   "format": "jwo-store-settings/1",
 *   "tax": {
 *     "default_category": "general",
 *     "rates_percent": {"general": 6.25, "groceries": 1, "alcohol": 8.875},
 *     "products": {"0001": "groceries", "0007": "alcohol"}
 *   },
 *   "restrictions": {
 *     "rules": [
 *       {"id": "age-restricted", "description": "alcohol and tobacco", "minimum_age": 18,
 *        "by_jurisdiction": {"US": 21}},
 *       {"id": "blades", "description": "knives", "minimum_age": 0}
 *     ],
 *     "age_restricted_rule": "age-restricted",
 *     "products": {"0009": ["blades"]}
 *   },
 *   "payments": {"offline_entry_cap": 25.00}
 * }
 * }</pre>
 *
 * @param taxes the sales tax
 * @param restrictions which products are restricted and how
 * @param offlineEntry whether parties are admitted without a hold while the card processor cannot be reached, and
 *     the most such a visit is charged without a reviewer ({@code "payments": {"offline_entry_cap": 25.00}}, in
 *     the store's currency; default: nobody is admitted without a hold)
 */
public record StoreTables(TaxTable taxes, RestrictionRules restrictions, OfflineEntryPolicy offlineEntry) {
  /** The settings file's name beside {@code store.json}. */
  public static final String FILE_NAME = "store-settings.json";
  /** The format this reader understands. */
  public static final String FORMAT = "jwo-store-settings/1";
  /** No tax, the default restrictions: what a store without a settings file has. */
  public static final StoreTables DEFAULTS = new StoreTables(TaxTable.NONE, RestrictionRules.DEFAULTS,
      OfflineEntryPolicy.NEVER);

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  public StoreTables {
    Objects.requireNonNull(taxes, "taxes");
    Objects.requireNonNull(restrictions, "restrictions");
    Objects.requireNonNull(offlineEntry, "offlineEntry");
  }

  /** Tables with the given tax and restrictions, admitting nobody without a hold. */
  public StoreTables(TaxTable taxes, RestrictionRules restrictions) {
    this(taxes, restrictions, OfflineEntryPolicy.NEVER);
  }

  /**
   * Reads a settings file for {@code layout}'s store.
   *
   * @throws IllegalArgumentException naming the file and the field, if it is missing, not JSON, or wrong
   */
  public static StoreTables read(Path file, StoreLayout layout) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file (the store's settings: tax and restricted items)",
          e);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException(file + ": not UTF-8 text", e);
    }
    return parse(file.toString(), text, layout);
  }

  /**
   * Parses the text of a settings file named {@code name} (for errors) for {@code layout}'s store.
   *
   * @throws IllegalArgumentException naming {@code name} and the field, if the text is not JSON or is wrong
   */
  public static StoreTables parse(String name, String text, StoreLayout layout) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      com.fasterxml.jackson.core.@org.jspecify.annotations.Nullable JsonLocation at = e.getLocation();
      throw new IllegalArgumentException(name + ": not valid JSON" + (at == null ? "" : " (line " + at.getLineNr()
          + ", column " + at.getColumnNr() + ")") + ": " + e.getOriginalMessage(), e);
    }
    Fields file = new Fields(name, "", root);
    file.only("format", "tax", "restrictions", "payments");
    String format = file.text("format");
    if (!FORMAT.equals(format)) {
      throw file.error("format", "is '" + format + "'; this reader understands " + FORMAT);
    }
    TaxTable taxes = file.has("tax") ? taxes(file.object("tax"), layout) : TaxTable.NONE;
    RestrictionRules restrictions = file.has("restrictions")
        ? restrictions(file.object("restrictions"), layout) : RestrictionRules.DEFAULTS;
    OfflineEntryPolicy offlineEntry = file.has("payments") ? offlineEntry(file.object("payments"), layout)
        : OfflineEntryPolicy.NEVER;
    return new StoreTables(taxes, restrictions, offlineEntry);
  }

  private static OfflineEntryPolicy offlineEntry(Fields payments, StoreLayout layout) {
    payments.only("offline_entry_cap");
    if (!payments.has("offline_entry_cap")) {
      return OfflineEntryPolicy.NEVER;
    }
    BigDecimal cap = payments.decimal("offline_entry_cap");
    int digits = Math.max(0, layout.currency().getDefaultFractionDigits());
    if (cap.signum() < 0 || cap.stripTrailingZeros().scale() > digits) {
      throw payments.error("offline_entry_cap", "must be an amount of " + layout.currency().getCurrencyCode()
          + " of at least 0 with at most " + digits + " decimals (0: nobody is admitted without a hold), was "
          + cap.toPlainString());
    }
    long minor = cap.movePointRight(digits).longValueExact();
    return minor == 0 ? OfflineEntryPolicy.NEVER : OfflineEntryPolicy.upTo(minor);
  }

  /** A module that binds these tables in place of the defaults. */
  public Module module() {
    return binder -> {
      OptionalBinder.newOptionalBinder(binder, TaxTable.class).setBinding().toInstance(taxes);
      OptionalBinder.newOptionalBinder(binder, RestrictionRules.class).setBinding().toInstance(restrictions);
      OptionalBinder.newOptionalBinder(binder, OfflineEntryPolicy.class).setBinding().toInstance(offlineEntry);
    };
  }

  private static TaxTable taxes(Fields tax, StoreLayout layout) {
    tax.only("default_category", "rates_percent", "products");
    Fields rates = tax.object("rates_percent");
    TreeMap<String, BigDecimal> ratesPercent = new TreeMap<>();
    for (String category : rates.names()) {
      ratesPercent.put(category, rates.decimal(category));
    }
    Map<Sku, String> categories = new HashMap<>();
    if (tax.has("products")) {
      Fields products = tax.object("products");
      for (String sku : products.names()) {
        categories.put(products.product(sku, layout), products.text(sku));
      }
    }
    String defaultCategory = tax.text("default_category");
    try {
      return new TaxTable(ratesPercent, categories, defaultCategory);
    } catch (IllegalArgumentException e) {
      throw tax.error(null, String.valueOf(e.getMessage()));
    }
  }

  private static RestrictionRules restrictions(Fields restrictions, StoreLayout layout) {
    restrictions.only("rules", "age_restricted_rule", "products");
    Map<String, RestrictionRules.Rule> rules = new LinkedHashMap<>();
    List<Fields> listed = restrictions.objects("rules");
    for (Fields rule : listed) {
      rule.only("id", "description", "minimum_age", "by_jurisdiction");
      Map<String, Integer> byJurisdiction = new HashMap<>();
      if (rule.has("by_jurisdiction")) {
        Fields places = rule.object("by_jurisdiction");
        for (String place : places.names()) {
          if (!place.matches("[A-Za-z]{2}(-[A-Za-z0-9]{1,3})*")) {
            throw places.error(place, "is not a jurisdiction code such as US, US-UT or US-NY-NYC");
          }
          byJurisdiction.put(place, places.age(place));
        }
      }
      String id = rule.text("id");
      if (rules.containsKey(id)) {
        throw rule.error("id", "'" + id + "' is the id of an earlier rule too");
      }
      String description = rule.text("description");
      int minimumAge = rule.age("minimum_age");
      try {
        rules.put(id, new RestrictionRules.Rule(id, description, minimumAge, byJurisdiction));
      } catch (IllegalArgumentException e) {
        throw rule.error(null, String.valueOf(e.getMessage()));
      }
    }
    String ageRestrictedRule = restrictions.text("age_restricted_rule");
    if (!rules.containsKey(ageRestrictedRule)) {
      throw restrictions.error("age_restricted_rule", "names rule '" + ageRestrictedRule + "', which is not among"
          + " the rules " + rules.keySet() + " (the catalog's age-restricted products need a rule)");
    }
    Map<Sku, List<String>> products = new HashMap<>();
    if (restrictions.has("products")) {
      Fields byProduct = restrictions.object("products");
      for (String sku : byProduct.names()) {
        List<String> ids = byProduct.texts(sku);
        for (String id : ids) {
          if (!rules.containsKey(id)) {
            throw byProduct.error(sku, "names rule '" + id + "', which is not among the rules " + rules.keySet());
          }
        }
        products.put(byProduct.product(sku, layout), ids);
      }
    }
    return new RestrictionRules(rules, products, ageRestrictedRule);
  }

  /** One JSON object of the file, with its path for errors. */
  private static final class Fields {
    private final String file;
    private final String path;
    private final ObjectNode node;

    Fields(String file, String path, JsonNode node) {
      this.file = file;
      this.path = path;
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalArgumentException(file + ": " + (path.isEmpty() ? "the file" : path)
            + " must be a JSON object");
      }
      this.node = object;
    }

    IllegalArgumentException error(@org.jspecify.annotations.Nullable String field, String problem) {
      String where = field == null ? path : at(field);
      return new IllegalArgumentException(file + ": " + (where.isEmpty() ? "" : where + ": ") + problem);
    }

    void only(String... known) {
      Set<String> allowed = Set.of(known);
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!allowed.contains(name)) {
          throw error(name, "unknown field; the fields here are " + List.of(known));
        }
      }
    }

    boolean has(String field) {
      return node.has(field) && !node.get(field).isNull();
    }

    List<String> names() {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      return names;
    }

    private JsonNode required(String field) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        throw error(field, "is required");
      }
      return value;
    }

    Fields object(String field) {
      return new Fields(file, at(field), required(field));
    }

    List<Fields> objects(String field) {
      JsonNode array = required(field);
      if (!array.isArray()) {
        throw error(field, "must be a list");
      }
      List<Fields> objects = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        objects.add(new Fields(file, at(field) + "[" + i + "]", array.get(i)));
      }
      return objects;
    }

    String text(String field) {
      JsonNode value = required(field);
      if (!value.isTextual() || value.asText().isBlank()) {
        throw error(field, "must be a non-empty string");
      }
      return value.asText();
    }

    List<String> texts(String field) {
      JsonNode value = required(field);
      if (!value.isArray()) {
        throw error(field, "must be a list of rule ids");
      }
      List<String> texts = new ArrayList<>();
      for (JsonNode element : value) {
        if (!element.isTextual() || element.asText().isBlank()) {
          throw error(field, "must be a list of rule ids (non-empty strings)");
        }
        texts.add(element.asText());
      }
      return texts;
    }

    BigDecimal decimal(String field) {
      JsonNode value = required(field);
      if (!value.isNumber()) {
        throw error(field, "must be a number (a rate in percent, e.g. 8.875)");
      }
      return value.decimalValue();
    }

    int age(String field) {
      JsonNode value = required(field);
      if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0 || value.intValue() > 150) {
        throw error(field, "must be a whole number of years from 0 to 150 (0: staff check whatever the age), was "
            + value);
      }
      return value.intValue();
    }

    Sku product(String sku, StoreLayout layout) {
      if (sku.isBlank() || layout.product(Sku.of(sku)).isEmpty()) {
        throw error(sku, "is not a product of store " + layout.storeId() + "'s catalog");
      }
      return Sku.of(sku);
    }

    private String at(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }
  }
}
