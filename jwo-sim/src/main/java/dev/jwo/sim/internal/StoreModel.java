package dev.jwo.sim.internal;

import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Camera;
import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.Product;
import dev.jwo.core.Shelf;
import dev.jwo.core.ShelfId;
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import dev.jwo.sim.Scenario;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated store: its {@link StoreLayout} and the geometry people walk in. Gondolas (double-sided shelf
 * units, 0.6 m deep) run along x, one behind the other with 2 m aisles between them; aisle 0 is the front zone
 * by the gates, the last aisle runs behind the last gondola, and two cross aisles join them at both ends.
 * Bins are 0.5 m wide, on both faces of every gondola, at several heights.
 */
public final class StoreModel {
  static final double BIN_WIDTH = 0.5;
  static final double GONDOLA_DEPTH = 0.6;
  static final double AISLE_WIDTH = 2.0;
  static final double FIRST_FACE_Y = 3.2;
  static final double SHELF_START_X = 3.0;
  /** How far from a shelf face a shopper stands to reach into it. */
  static final double STAND_OFF = 0.45;
  static final double CAMERA_HEIGHT = 3.2;
  private static final double[][] LEVEL_HEIGHTS = {
      {1.1}, {0.7, 1.35}, {0.45, 1.0, 1.55}, {0.35, 0.8, 1.25, 1.7}};

  /** A bin and where it sits in the geometry. {@code face} is 0 for the front (south) face, 1 for the back. */
  public record Slot(Bin bin, int index, int gondola, int face, int column, int level, int aisle, double standY) {}

  private final StoreLayout layout;
  private final List<Slot> slots;
  private final List<Double> laneY;
  private final double leftCrossX;
  private final double rightCrossX;
  private final Slot[][][][] grid;

  private StoreModel(StoreLayout layout, List<Slot> slots, List<Double> laneY, double leftCrossX,
      double rightCrossX, Slot[][][][] grid) {
    this.layout = layout;
    this.slots = List.copyOf(slots);
    this.laneY = List.copyOf(laneY);
    this.leftCrossX = leftCrossX;
    this.rightCrossX = rightCrossX;
    this.grid = grid;
  }

  /** Generates a store of {@code shape}; the assortment, stock and camera features depend on {@code random}. */
  public static StoreModel generate(String storeId, Scenario.StoreShape shape, SplittableRandom random) {
    return generate(storeId, shape, false, random);
  }

  /**
   * Generates a store of {@code shape}; with {@code declareShelves}, its layout also says which bins lie side by
   * side on each shelf board (one shelf per gondola face and level, {@code A1-L2}: gondola A, face 1, level 2).
   */
  public static StoreModel generate(String storeId, Scenario.StoreShape shape, boolean declareShelves,
      SplittableRandom random) {
    Currency usd = Currency.getInstance("USD");
    int gondolas = shape.gondolas();
    int columns = shape.columns();
    int levels = shape.levels();
    double shelfEndX = SHELF_START_X + columns * BIN_WIDTH;
    double width = shelfEndX + 3.0;
    double lastCentre = gondolaCentreY(gondolas - 1);
    double depth = lastCentre + GONDOLA_DEPTH / 2 + AISLE_WIDTH + 0.3;

    List<Double> lanes = new ArrayList<>();
    lanes.add(FIRST_FACE_Y - AISLE_WIDTH / 2);
    for (int g = 0; g < gondolas; g++) {
      lanes.add(gondolaCentreY(g) + GONDOLA_DEPTH / 2 + AISLE_WIDTH / 2);
    }

    int bins = gondolas * 2 * columns * levels;
    // About one product per 1.6 bins: most products have one facing, popular ones two.
    List<Product> products = Catalog.products(Math.max(4, (int) Math.round(bins / 1.6)), usd, random);

    List<Slot> slots = new ArrayList<>();
    List<Bin> binList = new ArrayList<>();
    Slot[][][][] grid = new Slot[gondolas][2][levels][columns];
    int productIndex = 0;
    for (int g = 0; g < gondolas; g++) {
      char letter = (char) ('A' + g);
      for (int face = 0; face < 2; face++) {
        double faceY = gondolaCentreY(g) + (face == 0 ? -1 : 1) * GONDOLA_DEPTH / 2;
        double standY = faceY + (face == 0 ? -STAND_OFF : STAND_OFF);
        for (int level = 0; level < levels; level++) {
          int column = 0;
          while (column < columns) {
            Product product = products.get(productIndex % products.size());
            productIndex++;
            int facings = Math.min(columns - column, random.nextDouble() < 0.35 ? 2 : 1);
            int stock = (int) Math.max(4, Math.min(30, Math.round(9_000 / Math.max(60, product.unitWeightGrams()))))
                + random.nextInt(6);
            for (int f = 0; f < facings; f++, column++) {
              BinId id = BinId.of(String.format("%c%d-%02d-%d", letter, face + 1, column + 1, level + 1));
              double x = SHELF_START_X + (column + 0.5) * BIN_WIDTH;
              Bin bin = new Bin(id, product.sku(),
                  new Point3(x, faceY, LEVEL_HEIGHTS[levels - 1][level]), BIN_WIDTH, stock);
              Slot slot = new Slot(bin, slots.size(), g, face, column, level, g + face, standY);
              slots.add(slot);
              binList.add(bin);
              grid[g][face][level][column] = slot;
            }
          }
        }
      }
    }
    List<Product> stocked = products.subList(0, Math.min(products.size(), productIndex));

    int gatesPerKind = Math.max(1, gondolas / 3);
    List<Gate> gates = new ArrayList<>();
    for (int i = 0; i < gatesPerKind; i++) {
      gates.add(new Gate(GateId.of("in-" + (i + 1)), GateKind.ENTRY, new Position(1.2 + 1.5 * i, 0)));
    }
    for (int i = 0; i < gatesPerKind; i++) {
      gates.add(new Gate(GateId.of("out-" + (i + 1)), GateKind.EXIT, new Position(width - 1.2 - 1.5 * i, 0)));
    }

    List<Camera> cameras = new ArrayList<>();
    double spacing = shape.cameraSpacingMetres();
    int nx = Math.max(1, (int) Math.ceil(width / spacing));
    int ny = Math.max(1, (int) Math.ceil(depth / spacing));
    int total = nx * ny;
    int faces = (int) Math.round(total * shape.faceShare());
    int clothing = (int) Math.round(total * shape.clothingShare());
    // Face cameras watch the gates (the front row first), clothing cameras are spread at random.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      order.add(i);
    }
    List<Integer> shuffledRest = new ArrayList<>(order.subList(Math.min(faces, total), total));
    shuffle(shuffledRest, random);
    FeatureKind[] kinds = new FeatureKind[total];
    for (int i = 0; i < total; i++) {
      kinds[i] = FeatureKind.NONE;
    }
    for (int i = 0; i < faces; i++) {
      kinds[i] = FeatureKind.FACE_GEOMETRY;
    }
    for (int i = 0; i < clothing && i < shuffledRest.size(); i++) {
      kinds[shuffledRest.get(i)] = FeatureKind.CLOTHING_COLOR;
    }
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        double x = Catalog.round(width * (i + 0.5) / nx, 2);
        double y = Catalog.round(depth * (j + 0.5) / ny, 2);
        int n = j * nx + i;
        cameras.add(new Camera(CameraId.of(String.format("cam-%02d", n + 1)), new Point3(x, y, CAMERA_HEIGHT), kinds[n]));
      }
    }

    List<Shelf> shelves = new ArrayList<>();
    if (declareShelves) {
      for (int g = 0; g < gondolas; g++) {
        for (int face = 0; face < 2; face++) {
          for (int level = 0; level < levels; level++) {
            List<BinId> row = new ArrayList<>();
            for (Slot slot : grid[g][face][level]) {
              row.add(slot.bin().id());
            }
            shelves.add(new Shelf(ShelfId.of(String.format("%c%d-L%d", (char) ('A' + g), face + 1, level + 1)), row));
          }
        }
      }
    }
    StoreLayout layout = new StoreLayout(StoreId.of(storeId), shape.jurisdiction(), usd,
        new Floor(width, Catalog.round(depth, 2)), gates, stocked, binList, cameras, shelves);
    return new StoreModel(layout, slots, lanes, SHELF_START_X - 1.0, shelfEndX + 1.0, grid);
  }

  static double gondolaCentreY(int gondola) {
    return FIRST_FACE_Y + GONDOLA_DEPTH / 2 + gondola * (GONDOLA_DEPTH + AISLE_WIDTH);
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  public StoreLayout layout() {
    return layout;
  }

  public List<Slot> slots() {
    return slots;
  }

  /** The y of the walking line in the middle of {@code aisle} (0 is the front zone). */
  double laneY(int aisle) {
    return laneY.get(aisle);
  }

  int aisles() {
    return laneY.size();
  }

  double leftCrossX() {
    return leftCrossX;
  }

  double rightCrossX() {
    return rightCrossX;
  }

  /** Bins next to {@code slot}: beside it on the same shelf, and above and below it. */
  List<Slot> neighbours(Slot slot) {
    List<Slot> result = new ArrayList<>(4);
    Slot[][] face = grid[slot.gondola()][slot.face()];
    int level = slot.level();
    int column = slot.column();
    if (column > 0) {
      result.add(face[level][column - 1]);
    }
    if (column + 1 < face[level].length) {
      result.add(face[level][column + 1]);
    }
    if (level > 0) {
      result.add(face[level - 1][column]);
    }
    if (level + 1 < face.length) {
      result.add(face[level + 1][column]);
    }
    return result;
  }

  /** Bins on the same shelf board right beside {@code slot}, which feel a hand pressing on it. */
  List<Slot> boardNeighbours(Slot slot) {
    List<Slot> result = new ArrayList<>(2);
    Slot[] row = grid[slot.gondola()][slot.face()][slot.level()];
    if (slot.column() > 0) {
      result.add(row[slot.column() - 1]);
    }
    if (slot.column() + 1 < row.length) {
      result.add(row[slot.column() + 1]);
    }
    return result;
  }

  /**
   * The walk from {@code from} (in {@code fromAisle}) to {@code to} (in {@code toAisle}): into the aisle's
   * walking line, along it, through a cross aisle if the aisles differ, and out of the line to the target.
   * Returns the points after {@code from}.
   */
  List<Position> route(Position from, int fromAisle, Position to, int toAisle, double laneOffset) {
    List<Position> points = new ArrayList<>();
    double fromLane = laneY(fromAisle) + laneOffset;
    double toLane = laneY(toAisle) + laneOffset;
    if (fromAisle == toAisle) {
      if (Math.abs(to.x() - from.x()) > 1.5) {
        points.add(new Position(from.x(), fromLane));
        points.add(new Position(to.x(), toLane));
      }
      points.add(to);
      return points;
    }
    double viaLeft = Math.abs(from.x() - leftCrossX) + Math.abs(to.x() - leftCrossX);
    double viaRight = Math.abs(from.x() - rightCrossX) + Math.abs(to.x() - rightCrossX);
    double crossX = (viaLeft <= viaRight ? leftCrossX : rightCrossX) + laneOffset;
    points.add(new Position(from.x(), fromLane));
    points.add(new Position(crossX, fromLane));
    points.add(new Position(crossX, toLane));
    points.add(new Position(to.x(), toLane));
    points.add(to);
    return points;
  }
}
