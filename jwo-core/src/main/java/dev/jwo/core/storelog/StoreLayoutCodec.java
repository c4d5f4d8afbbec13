package dev.jwo.core.storelog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

/** Converts between {@code store.json} and {@link StoreLayout}. */
final class StoreLayoutCodec {
  static final String FORMAT = "jwo-store/1";

  private StoreLayoutCodec() {}

  static StoreLayout decode(JsonSource json) {
    ObjectNode root = json.rootObject("store.json");
    String format = json.text(root, "format", "");
    if (!FORMAT.equals(format)) {
      throw json.errorAtField(root, "format", "format is '" + format + "', this reader understands " + FORMAT);
    }
    Currency currency;
    String currencyCode = json.text(root, "currency", "");
    try {
      currency = Currency.getInstance(currencyCode);
    } catch (IllegalArgumentException e) {
      throw json.errorAtField(root, "currency", "currency '" + currencyCode + "' is not an ISO 4217 code");
    }
    ObjectNode floorNode = json.object(root, "floor", "");
    Floor floor = build(json, floorNode, "floor",
        () -> new Floor(json.number(floorNode, "width_m", "floor."), json.number(floorNode, "depth_m", "floor.")));

    List<Gate> gates = new ArrayList<>();
    forEach(json, root, "gates", (node, path) -> gates.add(build(json, node, path, () -> new Gate(
        GateId.of(json.text(node, "id", path)),
        gateKind(json, node, path),
        new Position(json.number(node, "x", path), json.number(node, "y", path))))));

    List<Product> products = new ArrayList<>();
    forEach(json, root, "products", (node, path) -> products.add(build(json, node, path, () -> new Product(
        Sku.of(json.text(node, "sku", path)),
        json.optionalText(node, "name", path).orElse(""),
        new Money(json.integer(node, "price_minor", path), currency),
        json.number(node, "unit_weight_g", path),
        node.has("weight_sd_g") ? json.number(node, "weight_sd_g", path) : 0.0,
        json.bool(node, "age_restricted", path, false)))));

    List<Bin> bins = new ArrayList<>();
    forEach(json, root, "bins", (node, path) -> bins.add(build(json, node, path, () -> new Bin(
        BinId.of(json.text(node, "id", path)),
        knownSku(json, node, path, products),
        new Point3(json.number(node, "x", path), json.number(node, "y", path), json.number(node, "z", path)),
        json.number(node, "width_m", path),
        Math.toIntExact(json.integer(node, "initial_qty", path))))));

    List<Camera> cameras = new ArrayList<>();
    forEach(json, root, "cameras", (node, path) -> cameras.add(build(json, node, path, () -> new Camera(
        CameraId.of(json.text(node, "id", path)),
        new Point3(json.number(node, "x", path), json.number(node, "y", path), json.number(node, "z", path)),
        featureKind(json, node, path)))));

    List<Shelf> shelves = new ArrayList<>();
    if (root.hasNonNull("shelves")) {
      forEach(json, root, "shelves", (node, path) -> shelves.add(build(json, node, path, () -> new Shelf(
          ShelfId.of(json.text(node, "id", path)),
          knownBins(json, node, path, bins)))));
    }

    return build(json, root, "store.json", () -> new StoreLayout(
        StoreId.of(json.text(root, "store_id", "")),
        json.text(root, "jurisdiction", ""),
        currency,
        floor,
        gates,
        products,
        bins,
        cameras,
        shelves));
  }

  static ObjectNode encode(StoreLayout layout) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("format", FORMAT);
    root.put("store_id", layout.storeId().value());
    root.put("jurisdiction", layout.jurisdiction());
    root.put("currency", layout.currency().getCurrencyCode());
    ObjectNode floor = root.putObject("floor");
    floor.put("width_m", layout.floor().widthMetres());
    floor.put("depth_m", layout.floor().depthMetres());
    ArrayNode gates = root.putArray("gates");
    for (Gate gate : layout.gates()) {
      gates.addObject()
          .put("id", gate.id().value())
          .put("kind", gate.kind().name())
          .put("x", gate.position().x())
          .put("y", gate.position().y());
    }
    ArrayNode products = root.putArray("products");
    for (Product p : layout.products()) {
      products.addObject()
          .put("sku", p.sku().value())
          .put("name", p.name())
          .put("price_minor", p.price().minor())
          .put("unit_weight_g", p.unitWeightGrams())
          .put("weight_sd_g", p.weightSdGrams())
          .put("age_restricted", p.ageRestricted());
    }
    ArrayNode bins = root.putArray("bins");
    for (Bin b : layout.bins()) {
      bins.addObject()
          .put("id", b.id().value())
          .put("sku", b.sku().value())
          .put("x", b.front().x())
          .put("y", b.front().y())
          .put("z", b.front().z())
          .put("width_m", b.widthMetres())
          .put("initial_qty", b.initialQuantity());
    }
    ArrayNode cameras = root.putArray("cameras");
    for (Camera c : layout.cameras()) {
      cameras.addObject()
          .put("id", c.id().value())
          .put("x", c.position().x())
          .put("y", c.position().y())
          .put("z", c.position().z())
          .put("features", c.features().wireName());
    }
    if (!layout.shelves().isEmpty()) {
      ArrayNode shelves = root.putArray("shelves");
      for (Shelf shelf : layout.shelves()) {
        ObjectNode node = shelves.addObject().put("id", shelf.id().value());
        ArrayNode members = node.putArray("bins");
        shelf.bins().forEach(bin -> members.add(bin.value()));
      }
    }
    return root;
  }

  /** A shelf's bins, each checked to be among the bins, so that an unknown one is reported at the shelf's line. */
  private static List<BinId> knownBins(JsonSource json, ObjectNode node, String path, List<Bin> bins) {
    ArrayNode array = json.array(node, "bins", path);
    List<BinId> ids = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode element = array.get(i);
      if (!element.isTextual() || element.asText().isBlank()) {
        throw json.errorAtField(node, "bins", path + "bins[" + i + "] must be a bin id");
      }
      BinId id = BinId.of(element.asText());
      if (bins.stream().noneMatch(b -> b.id().equals(id))) {
        throw json.errorAtField(node, "bins", path + "bins[" + i + "] is '" + id + "', which is not among the bins");
      }
      ids.add(id);
    }
    return ids;
  }

  private static GateKind gateKind(JsonSource json, ObjectNode node, String path) {
    String kind = json.text(node, "kind", path);
    try {
      return GateKind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw json.errorAtField(node, "kind", path + "kind is '" + kind + "', expected ENTRY or EXIT");
    }
  }

  /** A bin's SKU, checked here so that an unknown one is reported at the bin's line rather than the file's first. */
  private static Sku knownSku(JsonSource json, ObjectNode node, String path, List<Product> products) {
    Sku sku = Sku.of(json.text(node, "sku", path));
    if (products.stream().noneMatch(p -> p.sku().equals(sku))) {
      throw json.errorAtField(node, "sku", path + "sku is '" + sku + "', which is not among the products");
    }
    return sku;
  }

  private static FeatureKind featureKind(JsonSource json, ObjectNode node, String path) {
    String kind = json.optionalText(node, "features", path).orElse("none");
    try {
      return FeatureKind.fromWireName(kind);
    } catch (IllegalArgumentException e) {
      throw json.errorAtField(node, "features", path + e.getMessage());
    }
  }

  private interface ElementReader {
    void read(ObjectNode node, String path);
  }

  private static void forEach(JsonSource json, ObjectNode root, String field, ElementReader reader) {
    ArrayNode array = json.array(root, field, "");
    for (int i = 0; i < array.size(); i++) {
      String path = field + "[" + i + "].";
      JsonNode element = array.get(i);
      reader.read(json.object(element, field + "[" + i + "]"), path);
    }
  }

  /** Runs a value's constructor, turning its validation failure into a located format error. */
  static <T> T build(JsonSource json, JsonNode node, String path, java.util.function.Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (StoreLogFormatException e) {
      throw e;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw json.errorAt(node, (path.isEmpty() ? "" : path.replaceAll("\\.$", "") + ": ") + e.getMessage());
    }
  }
}
