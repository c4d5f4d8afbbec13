package dev.jwo.core;

import java.util.Collections;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A store's layout and catalog, as described by a store log's {@code store.json}: gates, bins, cameras and
 * products. Immutable; every reference between its parts is checked on construction.
 */
public final class StoreLayout {
  private final StoreId storeId;
  private final String jurisdiction;
  private final Currency currency;
  private final Floor floor;
  private final Map<GateId, Gate> gates;
  private final Map<Sku, Product> products;
  private final Map<BinId, Bin> bins;
  private final Map<CameraId, Camera> cameras;
  private final Map<ShelfId, Shelf> shelves;
  private final Map<BinId, Shelf> shelfOfBin;

  /**
   * A store whose shelves are not declared: every bin's plate stands alone.
   *
   * @see #StoreLayout(StoreId, String, Currency, Floor, List, List, List, List, List)
   */
  public StoreLayout(
      StoreId storeId,
      String jurisdiction,
      Currency currency,
      Floor floor,
      List<Gate> gates,
      List<Product> products,
      List<Bin> bins,
      List<Camera> cameras) {
    this(storeId, jurisdiction, currency, floor, gates, products, bins, cameras, List.of());
  }

  /**
   * @param jurisdiction ISO 3166-2 code of the store's location, optionally followed by a city ({@code US-NY-NYC})
   * @param shelves the shelf boards and the bins on each, in order along the shelf; bins on no shelf stand alone
   * @throws IllegalArgumentException if ids repeat, a bin names an unknown SKU, a price is in another currency,
   *     the store has no entry gate, or a shelf names an unknown bin or a bin already on another shelf
   */
  public StoreLayout(
      StoreId storeId,
      String jurisdiction,
      Currency currency,
      Floor floor,
      List<Gate> gates,
      List<Product> products,
      List<Bin> bins,
      List<Camera> cameras,
      List<Shelf> shelves) {
    this.storeId = Objects.requireNonNull(storeId, "storeId");
    this.jurisdiction = Ids.requireText(jurisdiction, "jurisdiction");
    this.currency = Objects.requireNonNull(currency, "currency");
    this.floor = Objects.requireNonNull(floor, "floor");
    this.gates = index(gates, Gate::id, "gate");
    this.products = index(products, Product::sku, "product");
    this.bins = index(bins, Bin::id, "bin");
    this.cameras = index(cameras, Camera::id, "camera");
    this.shelves = index(shelves, Shelf::id, "shelf");
    Map<BinId, Shelf> byBin = new LinkedHashMap<>();
    for (Shelf shelf : shelves) {
      for (BinId bin : shelf.bins()) {
        if (!this.bins.containsKey(bin)) {
          throw new IllegalArgumentException("shelf " + shelf.id() + " names unknown bin " + bin);
        }
        Shelf other = byBin.put(bin, shelf);
        if (other != null) {
          throw new IllegalArgumentException("bin " + bin + " is on shelf " + other.id() + " and on " + shelf.id());
        }
      }
    }
    this.shelfOfBin = Collections.unmodifiableMap(byBin);
    for (Product product : products) {
      if (!product.price().currency().equals(currency)) {
        throw new IllegalArgumentException(
            "product " + product.sku() + " is priced in " + product.price().currency() + ", the store in " + currency);
      }
    }
    for (Bin bin : bins) {
      if (!this.products.containsKey(bin.sku())) {
        throw new IllegalArgumentException("bin " + bin.id() + " holds unknown sku " + bin.sku());
      }
    }
    if (gates.stream().noneMatch(g -> g.kind() == GateKind.ENTRY)) {
      throw new IllegalArgumentException("store " + storeId + " has no entry gate");
    }
  }

  private static <K, V> Map<K, V> index(List<V> values, Function<V, K> key, String what) {
    Map<K, V> map = new LinkedHashMap<>();
    for (V value : values) {
      if (map.put(key.apply(value), value) != null) {
        throw new IllegalArgumentException("duplicate " + what + " id " + key.apply(value));
      }
    }
    return Collections.unmodifiableMap(map);
  }

  public StoreId storeId() {
    return storeId;
  }

  public String jurisdiction() {
    return jurisdiction;
  }

  public Currency currency() {
    return currency;
  }

  public Floor floor() {
    return floor;
  }

  public List<Gate> gates() {
    return List.copyOf(gates.values());
  }

  public List<Product> products() {
    return List.copyOf(products.values());
  }

  public List<Bin> bins() {
    return List.copyOf(bins.values());
  }

  public List<Camera> cameras() {
    return List.copyOf(cameras.values());
  }

  /** The declared shelves; empty when the layout does not say which plates lie side by side. */
  public List<Shelf> shelves() {
    return List.copyOf(shelves.values());
  }

  /** The shelf a bin is on, if declared. */
  public Optional<Shelf> shelfOf(BinId bin) {
    return Optional.ofNullable(shelfOfBin.get(bin));
  }

  /** The bins right beside {@code bin} on its shelf; empty if it is on no declared shelf. */
  public List<BinId> neighbours(BinId bin) {
    Shelf shelf = shelfOfBin.get(bin);
    return shelf == null ? List.of() : shelf.neighbours(bin);
  }

  public Optional<Gate> gate(GateId id) {
    return Optional.ofNullable(gates.get(id));
  }

  public Optional<Product> product(Sku sku) {
    return Optional.ofNullable(products.get(sku));
  }

  public Optional<Bin> bin(BinId id) {
    return Optional.ofNullable(bins.get(id));
  }

  public Optional<Camera> camera(CameraId id) {
    return Optional.ofNullable(cameras.get(id));
  }

  /** The product a bin is stocked with by the planogram. */
  public Product productIn(Bin bin) {
    Product product = products.get(bin.sku());
    if (product == null) {
      throw new IllegalArgumentException("bin " + bin.id() + " is not part of store " + storeId);
    }
    return product;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreLayout s
        && storeId.equals(s.storeId)
        && jurisdiction.equals(s.jurisdiction)
        && currency.equals(s.currency)
        && floor.equals(s.floor)
        && gates.equals(s.gates)
        && products.equals(s.products)
        && bins.equals(s.bins)
        && cameras.equals(s.cameras)
        && shelves.equals(s.shelves);
  }

  @Override
  public int hashCode() {
    return Objects.hash(storeId, jurisdiction, currency, floor, gates, products, bins, cameras, shelves);
  }

  @Override
  public String toString() {
    return "StoreLayout[" + storeId + ", " + jurisdiction + ", " + gates.size() + " gates, " + bins.size()
        + " bins, " + shelves.size() + " shelves, " + products.size() + " products, " + cameras.size() + " cameras]";
  }
}
