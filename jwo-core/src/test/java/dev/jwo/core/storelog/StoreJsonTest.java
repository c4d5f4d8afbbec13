package dev.jwo.core.storelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Camera;
import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Money;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.Product;
import dev.jwo.core.Shelf;
import dev.jwo.core.ShelfId;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code store.json}: the example of the format specification, round trips, and located errors. */
class StoreJsonTest {
  /** The example of the store-log specification, version 1, verbatim. */
  static final String SPEC_EXAMPLE = """
      {
        "format": "jwo-store/1",
        "store_id": "demo-001",
        "jurisdiction": "US-IL",
        "currency": "USD",
        "floor": {"width_m": 24.0, "depth_m": 16.0},
        "gates": [
          {"id": "in-1",  "kind": "ENTRY", "x": 2.0,  "y": 0.0},
          {"id": "out-1", "kind": "EXIT",  "x": 22.0, "y": 0.0}
        ],
        "products": [
          {"sku": "0001", "name": "Sparkling water 500 ml", "price_minor": 199,
           "unit_weight_g": 520.0, "weight_sd_g": 4.0, "age_restricted": false}
        ],
        "bins": [
          {"id": "A1-1", "sku": "0001", "x": 4.0, "y": 3.0, "z": 1.2, "width_m": 0.4, "initial_qty": 12}
        ],
        "cameras": [
          {"id": "cam-01", "x": 4.0, "y": 3.0, "z": 3.2, "features": "none"}
        ]
      }
      """;

  @TempDir Path dir;

  @Test
  void readsTheExampleOfTheSpecification() {
    StoreLayout expected = new StoreLayout(
        StoreId.of("demo-001"),
        "US-IL",
        TestStores.USD,
        new Floor(24, 16),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(2, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(22, 0))),
        List.of(new Product(Sku.of("0001"), "Sparkling water 500 ml", Money.ofMinor(199, "USD"), 520, 4, false)),
        List.of(new Bin(BinId.of("A1-1"), Sku.of("0001"), new Point3(4, 3, 1.2), 0.4, 12)),
        List.of(new Camera(CameraId.of("cam-01"), new Point3(4, 3, 3.2), FeatureKind.NONE)));

    assertThat(StoreLogReader.parseStore("store.json", SPEC_EXAMPLE)).isEqualTo(expected);
  }

  @Test
  void aWrittenStoreReadsBackEqual() throws Exception {
    Path file = dir.resolve("store.json");
    StoreLogWriter.writeStore(file, TestStores.small());

    assertThat(StoreLogReader.readStore(file)).isEqualTo(TestStores.small());
    assertThat(Files.readString(file)).contains("\"format\" : \"jwo-store/1\"").contains("\"clothing_color\"");
  }

  @Test
  void unknownFieldsAreIgnored() {
    String extended = SPEC_EXAMPLE
        .replace("\"currency\": \"USD\",", "\"currency\": \"USD\", \"opened\": {\"year\": 2026, \"hours\": [8, 22]},")
        .replace("\"initial_qty\": 12}", "\"initial_qty\": 12, \"shelf_colour\": \"red\", \"sensor\": null}")
        .replace("\"features\": \"none\"}", "\"features\": \"none\", \"fov_deg\": 90.0}");

    assertThat(StoreLogReader.parseStore("store.json", extended))
        .isEqualTo(StoreLogReader.parseStore("store.json", SPEC_EXAMPLE));
  }

  @Test
  void optionalFieldsTakeTheirDefaults() {
    String minimal = SPEC_EXAMPLE
        .replace(", \"weight_sd_g\": 4.0, \"age_restricted\": false", "")
        .replace(", \"features\": \"none\"", "");

    StoreLayout layout = StoreLogReader.parseStore("store.json", minimal);

    assertThat(layout.products().get(0).weightSdGrams()).isZero();
    assertThat(layout.products().get(0).ageRestricted()).isFalse();
    assertThat(layout.cameras().get(0).features()).isEqualTo(FeatureKind.NONE);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("missing field", "\"unit_weight_g\": 520.0, ", "",
            "{\"sku\": \"0001\"", "products[0].unit_weight_g is missing"),
        Arguments.of("wrong type", "\"price_minor\": 199", "\"price_minor\": \"199\"",
            "\"price_minor\"", "products[0].price_minor must be an integer"),
        Arguments.of("NaN weight", "\"unit_weight_g\": 520.0", "\"unit_weight_g\": NaN",
            "\"unit_weight_g\"", "products[0].unit_weight_g must be a finite number"),
        Arguments.of("unknown feature kind", "\"features\": \"none\"", "\"features\": \"face_shape\"",
            "\"features\"", "unknown camera feature kind 'face_shape'"),
        Arguments.of("unknown format version", "\"format\": \"jwo-store/1\"", "\"format\": \"jwo-store/2\"",
            "\"format\"", "format is 'jwo-store/2', this reader understands jwo-store/1"),
        Arguments.of("unknown gate kind", "\"kind\": \"EXIT\"", "\"kind\": \"EXTI\"",
            "\"EXTI\"", "gates[1].kind is 'EXTI', expected ENTRY or EXIT"),
        Arguments.of("unknown currency", "\"currency\": \"USD\"", "\"currency\": \"DOLLARS\"",
            "\"currency\"", "currency 'DOLLARS' is not an ISO 4217 code"),
        Arguments.of("invalid value", "\"width_m\": 0.4", "\"width_m\": -0.4",
            "{\"id\": \"A1-1\"", "width of bin A1-1 must be positive"),
        Arguments.of("array for an object", "\"floor\": {\"width_m\": 24.0, \"depth_m\": 16.0}",
            "\"floor\": [24.0, 16.0]", "\"floor\"", "floor must be an object"),
        Arguments.of("invalid JSON", "\"currency\": \"USD\",", "\"currency\": \"USD\"",
            "\"floor\"", "not valid JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedContentIsReportedAtTheLineOfTheOffendingValue(
      String what, String target, String replacement, String lineMarker, String problem) throws Exception {
    String text = SPEC_EXAMPLE.replace(target, replacement);
    assertThat(text).as("the test's edit applies").isNotEqualTo(SPEC_EXAMPLE);
    Path file = dir.resolve("store.json");
    Files.writeString(file, text);

    StoreLogFormatException e = catchThrowableOfType(StoreLogFormatException.class,
        () -> StoreLogReader.readStore(file));

    assertThat(e).as(what).isNotNull();
    assertThat(e.file()).isEqualTo("store.json");
    assertThat(e.line()).as("line of %s in%n%s", lineMarker, text).isEqualTo(lineOf(text, lineMarker));
    assertThat(e.problem()).contains(problem);
    assertThat(e.getMessage()).isEqualTo("store.json:" + e.line() + ": " + e.problem());
  }

  /** The example with a second bin beside the first, and the shelf both lie on (the extension in docs/). */
  static final String WITH_SHELF = SPEC_EXAMPLE
      .replace("\"initial_qty\": 12}",
          "\"initial_qty\": 12},\n    {\"id\": \"A1-2\", \"sku\": \"0001\", \"x\": 4.4, \"y\": 3.0, \"z\": 1.2, "
              + "\"width_m\": 0.4, \"initial_qty\": 12}")
      .replace("  \"cameras\": [",
          "  \"shelves\": [\n    {\"id\": \"A1-L1\", \"bins\": [\"A1-1\", \"A1-2\"]}\n  ],\n  \"cameras\": [");

  @Test
  void shelvesDeclareWhichPlatesLieSideBySide() throws Exception {
    assertThat(WITH_SHELF).as("the test's edit applies").contains("\"shelves\"").contains("\"A1-2\", \"sku\"");
    StoreLayout layout = StoreLogReader.parseStore("store.json", WITH_SHELF);

    assertThat(layout.shelves()).singleElement()
        .isEqualTo(new Shelf(ShelfId.of("A1-L1"), List.of(BinId.of("A1-1"), BinId.of("A1-2"))));
    assertThat(layout.neighbours(BinId.of("A1-1"))).containsExactly(BinId.of("A1-2"));
    assertThat(layout.shelfOf(BinId.of("A1-2"))).map(Shelf::id).contains(ShelfId.of("A1-L1"));

    Path file = dir.resolve("store.json");
    StoreLogWriter.writeStore(file, layout);
    assertThat(StoreLogReader.readStore(file)).isEqualTo(layout);
  }

  @Test
  void aStoreWithoutShelvesHasPlatesThatStandAlone() {
    StoreLayout layout = StoreLogReader.parseStore("store.json", SPEC_EXAMPLE);

    assertThat(layout.shelves()).isEmpty();
    assertThat(layout.neighbours(BinId.of("A1-1"))).isEmpty();
  }

  @Test
  void aShelfOfAnUnknownBinIsReportedAtTheShelf() {
    String text = WITH_SHELF.replace("[\"A1-1\", \"A1-2\"]", "[\"A1-1\", \"A1-9\"]");

    assertThatThrownBy(() -> StoreLogReader.parseStore("store.json", text))
        .isInstanceOf(StoreLogFormatException.class)
        .hasMessageStartingWith("store.json:" + lineOf(text, "\"A1-9\"") + ": ")
        .hasMessageContaining("shelves[0].bins[1] is 'A1-9', which is not among the bins");
  }

  @Test
  void aBinOnTwoShelvesIsRefused() {
    String text = WITH_SHELF.replace("{\"id\": \"A1-L1\", \"bins\": [\"A1-1\", \"A1-2\"]}",
        "{\"id\": \"A1-L1\", \"bins\": [\"A1-1\"]}, {\"id\": \"A1-L2\", \"bins\": [\"A1-2\", \"A1-1\"]}");

    assertThatThrownBy(() -> StoreLogReader.parseStore("store.json", text))
        .isInstanceOf(StoreLogFormatException.class)
        .hasMessageContaining("bin A1-1 is on shelf A1-L1 and on A1-L2");
  }

  @Test
  void aBinOfAnUnknownProductIsReportedAtTheBin() {
    String text = SPEC_EXAMPLE.replace("{\"id\": \"A1-1\", \"sku\": \"0001\"", "{\"id\": \"A1-1\", \"sku\": \"0009\"");

    assertThatThrownBy(() -> StoreLogReader.parseStore("store.json", text))
        .isInstanceOf(StoreLogFormatException.class)
        .hasMessageStartingWith("store.json:" + lineOf(text, "\"0009\"") + ": ")
        .hasMessageContaining("0009");
  }

  @Test
  void errorsNameTheFileTheyWereGiven() {
    assertThatThrownBy(() -> StoreLogReader.parseStore("north/store.json", "{\"format\": \"jwo-store/1\"}"))
        .isInstanceOf(StoreLogFormatException.class)
        .hasMessageStartingWith("north/store.json:1: ")
        .hasMessageContaining("currency is missing");
    assertThatThrownBy(() -> StoreLogReader.parseStore("store.json", "[]"))
        .hasMessage("store.json:1: store.json must be a JSON object");
    assertThatThrownBy(() -> StoreLogReader.parseStore("store.json", "\n\n"))
        .isInstanceOf(StoreLogFormatException.class)
        .hasMessageContaining("empty document");
  }

  /** The 1-based number of the first line of {@code text} containing {@code marker}. */
  static long lineOf(String text, String marker) {
    int at = text.indexOf(marker);
    assertThat(at).as("marker %s", marker).isNotNegative();
    return text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
  }
}
