package dev.jwo.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.core.Money;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.visit.LineItem;
import dev.jwo.payments.inject.PaymentsModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store's tax and restricted-item tables as data in {@code store-settings.json}, read and refused clearly. */
class StoreTablesTest {
  private static final StoreLayout STORE = TestLayouts.store();
  private static final String EXAMPLE = """
      {
        "format": "jwo-store-settings/1",
        "tax": {
          "default_category": "general",
          "rates_percent": {"general": 6.25, "groceries": 1, "alcohol": 8.875},
          "products": {"0001": "groceries", "0003": "alcohol"}
        },
        "restrictions": {
          "rules": [
            {"id": "age-restricted", "description": "alcohol and tobacco", "minimum_age": 18,
             "by_jurisdiction": {"US": 21, "US-IL": 21}},
            {"id": "blades", "description": "knives", "minimum_age": 0}
          ],
          "age_restricted_rule": "age-restricted",
          "products": {"0003": ["age-restricted"], "0001": ["blades"]}
        }
      }
      """;

  @TempDir Path dir;

  @Test
  void aRetailerDeclaresTaxAndRestrictionsAsDataAndTheStoreChargesByThem() throws IOException {
    Path file = dir.resolve(StoreTables.FILE_NAME);
    Files.writeString(file, EXAMPLE);

    StoreTables tables = StoreTables.read(file, STORE);

    assertThat(tables.taxes().category(TestLayouts.WATER)).isEqualTo("groceries");
    assertThat(tables.taxes().ratePercent(TestLayouts.JUICE)).isEqualByComparingTo("8.875");
    assertThat(tables.taxes().ratesPercent().get("general")).isEqualByComparingTo(new BigDecimal("6.25"));
    assertThat(tables.restrictions().restrictionsOf(STORE.product(TestLayouts.JUICE).orElseThrow(), "US-IL"))
        .containsExactly(new RestrictionRules.Restriction("age-restricted", "alcohol and tobacco", 21));
    assertThat(tables.restrictions().restrictionsOf(STORE.product(TestLayouts.WATER).orElseThrow(), "DE-BE"))
        .containsExactly(new RestrictionRules.Restriction("blades", "knives", 0));

    Injector injector = Guice.createInjector(new CoreModule(STORE), new ComplianceModule(), new PaymentsModule(),
        tables.module());
    assertThat(injector.getInstance(RestrictionRules.class)).isEqualTo(tables.restrictions());
    // 2 x 29.99 of juice at 8.875 % (5.32) and 1.99 of water at 1 % (0.02).
    Money total = injector.getInstance(ReceiptBook.class).total(List.of(
        new LineItem(TestLayouts.JUICE, 2, Money.ofMinor(2_999, "USD")),
        new LineItem(TestLayouts.WATER, 1, Money.ofMinor(199, "USD"))));
    assertThat(total).isEqualTo(Money.ofMinor(5_998 + 532 + 199 + 2, "USD"));
  }

  @Test
  void aFileWithNeitherPartKeepsTheDefaults() {
    StoreTables tables = StoreTables.parse("s.json", "{\"format\": \"jwo-store-settings/1\"}", STORE);

    assertThat(tables).isEqualTo(StoreTables.DEFAULTS);
  }

  @Test
  void theOfflineEntryCapIsReadInTheStoresCurrencyAndRefusedWhenItIsNoAmount() {
    StoreTables tables = StoreTables.parse("s.json",
        "{\"format\": \"jwo-store-settings/1\", \"payments\": {\"offline_entry_cap\": 25.5}}", STORE);
    assertThat(tables.offlineEntry()).isEqualTo(OfflineEntryPolicy.upTo(2_550));
    assertThat(tables.offlineEntry().admitsWithoutHold()).isTrue();
    assertThat(StoreTables.parse("s.json",
        "{\"format\": \"jwo-store-settings/1\", \"payments\": {\"offline_entry_cap\": 0}}", STORE)
        .offlineEntry()).isEqualTo(OfflineEntryPolicy.NEVER);
    assertRefused("{\"format\": \"jwo-store-settings/1\", \"payments\": {\"offline_entry_cap\": 2.555}}",
        "s.json: payments.offline_entry_cap: must be an amount of");
    assertRefused("{\"format\": \"jwo-store-settings/1\", \"payments\": {\"offline_entry_cap\": -1}}",
        "s.json: payments.offline_entry_cap: must be an amount of");
    assertRefused("{\"format\": \"jwo-store-settings/1\", \"payments\": {\"offline_cap\": 5}}",
        "s.json: payments.offline_cap: unknown field");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> StoreTables.read(dir.resolve("nope.json"), STORE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope.json: no such file");
  }

  @Test
  void eachMistakeIsRefusedNamingTheFileAndTheField() {
    assertRefused("{\"format\": \"jwo-store-settings/1\",", "s.json: not valid JSON (line 1");
    assertRefused("[]", "s.json: the file must be a JSON object");
    assertRefused("{\"format\": \"jwo-store-settings/2\"}", "s.json: format: is 'jwo-store-settings/2'; this"
        + " reader understands jwo-store-settings/1");
    assertRefused(EXAMPLE.replace("\"rates_percent\"", "\"rate_percent\""),
        "s.json: tax.rate_percent: unknown field; the fields here are [default_category, rates_percent, products]");
    assertRefused(EXAMPLE.replace("{\"0001\": \"groceries\"", "{\"0099\": \"groceries\""),
        "s.json: tax.products.0099: is not a product of store pay-1's catalog");
    assertRefused(EXAMPLE.replace("\"0003\": \"alcohol\"", "\"0003\": \"wine\""),
        "s.json: tax: product 0003 is in category 'wine', which has no tax rate");
    assertRefused(EXAMPLE.replace("\"alcohol\": 8.875", "\"alcohol\": 108"),
        "s.json: tax: the tax rate of category 'alcohol' must be between 0 and 100 percent");
    assertRefused(EXAMPLE.replace("\"alcohol\": 8.875", "\"alcohol\": \"8.875\""),
        "s.json: tax.rates_percent.alcohol: must be a number");
    assertRefused(EXAMPLE.replace("\"minimum_age\": 18", "\"minimum_age\": 18.5"),
        "s.json: restrictions.rules[0].minimum_age: must be a whole number of years from 0 to 150");
    assertRefused(EXAMPLE.replace("\"US-IL\": 21", "\"Illinois state\": 21"),
        "s.json: restrictions.rules[0].by_jurisdiction.Illinois state: is not a jurisdiction code");
    assertRefused(EXAMPLE.replace("\"id\": \"blades\"", "\"id\": \"age-restricted\""),
        "s.json: restrictions.rules[1].id: 'age-restricted' is the id of an earlier rule too");
    assertRefused(EXAMPLE.replace("\"0001\": [\"blades\"]", "\"0001\": [\"knives\"]"),
        "s.json: restrictions.products.0001: names rule 'knives', which is not among the rules");
    assertRefused(EXAMPLE.replace("\"age_restricted_rule\": \"age-restricted\"", "\"age_restricted_rule\": \"adult\""),
        "s.json: restrictions.age_restricted_rule: names rule 'adult', which is not among the rules");
    assertRefused(EXAMPLE.replace("\"description\": \"knives\", ", ""),
        "s.json: restrictions.rules[1].description: is required");
    assertRefused(EXAMPLE.replace("\"general\": 6.25, ", "\"general\": 6.25, \"general\": 7, "),
        "s.json: not valid JSON");
  }

  private static void assertRefused(String json, String message) {
    assertThatThrownBy(() -> StoreTables.parse("s.json", json, STORE)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
