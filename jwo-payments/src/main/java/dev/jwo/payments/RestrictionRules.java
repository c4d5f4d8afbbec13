package dev.jwo.payments;

import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which products are restricted and what each restriction asks where the store is: store configuration, as data.
 * A product is restricted by the rules its SKU is listed under and, if the catalog flags it age-restricted, by
 * {@link #ageRestrictedRule}. Immutable; bound with {@code OptionalBinder} (default {@link #DEFAULTS}).
 *
 * @param rules every rule, by id
 * @param products per product, the ids of the rules (beyond the catalog's flag) that restrict it
 * @param ageRestrictedRule the rule for products the catalog flags age-restricted
 */
public record RestrictionRules(Map<String, Rule> rules, Map<Sku, List<String>> products, String ageRestrictedRule) {

  /** Age-restricted products need 21 in the United States and 18 elsewhere. */
  public static final RestrictionRules DEFAULTS = new RestrictionRules(
      Map.of("age-restricted", new Rule("age-restricted", "age-restricted product", 18, Map.of("US", 21))),
      Map.of(), "age-restricted");

  public RestrictionRules {
    rules = Map.copyOf(rules);
    products = Map.copyOf(products);
    Objects.requireNonNull(ageRestrictedRule, "ageRestrictedRule");
    if (!rules.containsKey(ageRestrictedRule)) {
      throw new IllegalArgumentException("the rule for age-restricted products '" + ageRestrictedRule
          + "' is not among the rules " + rules.keySet());
    }
    for (Map.Entry<String, Rule> rule : rules.entrySet()) {
      if (!rule.getKey().equals(rule.getValue().id())) {
        throw new IllegalArgumentException("rule '" + rule.getValue().id() + "' is listed as '" + rule.getKey() + "'");
      }
    }
    for (Map.Entry<Sku, List<String>> p : products.entrySet()) {
      for (String id : p.getValue()) {
        if (!rules.containsKey(id)) {
          throw new IllegalArgumentException("product " + p.getKey() + " names rule '" + id + "', which is not"
              + " among the rules " + rules.keySet());
        }
      }
    }
  }

  /** The restrictions on {@code product} in {@code jurisdiction} (e.g. {@code US-IL}), most demanding first. */
  public List<Restriction> restrictionsOf(Product product, String jurisdiction) {
    List<Restriction> found = new ArrayList<>();
    List<String> ids = new ArrayList<>(products.getOrDefault(product.sku(), List.of()));
    if (product.ageRestricted() && !ids.contains(ageRestrictedRule)) {
      ids.add(ageRestrictedRule);
    }
    for (String id : ids) {
      Rule rule = Objects.requireNonNull(rules.get(id), id);
      found.add(new Restriction(rule.id(), rule.description(), rule.minimumAge(jurisdiction)));
    }
    found.sort((a, b) -> Integer.compare(b.minimumAge(), a.minimumAge()));
    return found;
  }

  /**
   * A restriction as data: its minimum age by default and per jurisdiction (a code or its prefix, {@code US} or
   * {@code US-UT}; the longest that matches the store's jurisdiction wins). A minimum age of 0 means staff check
   * the sale whatever the age (e.g. a retailer's own rule for knives or medicine).
   */
  public record Rule(String id, String description, int defaultMinimumAge, Map<String, Integer> byJurisdiction) {
    public Rule {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(description, "description");
      byJurisdiction = Map.copyOf(byJurisdiction);
      if (id.isBlank() || defaultMinimumAge < 0 || defaultMinimumAge > 150
          || byJurisdiction.values().stream().anyMatch(a -> a < 0 || a > 150)) {
        throw new IllegalArgumentException("rule '" + id + "' needs an id and ages between 0 and 150");
      }
    }

    /** The minimum age in {@code jurisdiction}: the longest matching code's, else the default. */
    public int minimumAge(String jurisdiction) {
      String code = jurisdiction.toUpperCase(Locale.ROOT);
      Optional<Map.Entry<String, Integer>> best = byJurisdiction.entrySet().stream()
          .filter(e -> {
            String k = e.getKey().toUpperCase(Locale.ROOT);
            return code.equals(k) || code.startsWith(k + "-");
          })
          .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length()));
      return best.map(Map.Entry::getValue).orElse(defaultMinimumAge);
    }
  }

  /**
   * One restriction on a product here.
   *
   * @param rule the rule's id
   * @param description what it is, for staff
   * @param minimumAge the age a verified credential needs to take the product without a staff check; 0 when staff
   *     check it always
   */
  public record Restriction(String rule, String description, int minimumAge) {}
}
