package dev.jwo.cart.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.cart.Attribution;
import dev.jwo.cart.DecisionTrace;
import dev.jwo.cart.ShelfEventBelief;
import dev.jwo.core.Sku;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.DoubtfulLine;
import dev.jwo.core.visit.IdentityTrace;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes the decision trace as JSON lines (format in the section "Decision trace" of {@code docs/ARCHITECTURE.md}): one {@code shelf_event}
 * line per shelf event, with the candidate visits, their evidence and the joint outcomes, and one {@code receipt}
 * line per decided visit, with the probability that it is right and the lines in doubt, and one {@code track_label}
 * line per change of the visit a person track is taken for, with the reason. Visits are named by their
 * pseudonymous visit ids; no credential, payment token or biometric value is written. A write that fails is
 * remembered and thrown by {@link #close()}, never into the pipeline.
 */
public final class JsonLinesTrace implements DecisionTrace, IdentityTrace, Closeable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final BufferedWriter out;
  private @Nullable IOException failure;

  /** Creates (or replaces) {@code file}. */
  public JsonLinesTrace(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void trackLabelled(TrackId track, @Nullable VisitId visit, long ts, String why) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("type", "track_label");
    o.put("track", track.value());
    if (visit == null) {
      o.putNull("visit");
    } else {
      o.put("visit", visit.value());
    }
    o.put("ts", ts);
    o.put("why", why);
    write(o);
  }

  @Override
  public synchronized void shelfEvent(ShelfEventBelief belief, Attribution attribution) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("type", "shelf_event");
    o.put("bin", belief.event().bin().value());
    o.put("start_ts", belief.event().startTs());
    o.put("end_ts", belief.event().endTs());
    o.put("delta_g", Math.round(belief.event().deltaGrams() * 10) / 10.0);
    ShelfEventBelief.Outcome chosen = belief.chosen();
    if (chosen == null) {
      o.putNull("chosen");
    } else {
      o.set("chosen", outcome(chosen));
    }
    ArrayNode candidates = o.putArray("candidates");
    double named = 0;
    for (Attribution.Candidate c : attribution.candidates()) {
      ObjectNode n = candidates.addObject();
      n.put("visit", c.visit().value());
      n.put("p", round(c.probability()));
      tracks(n.putArray("tracks"), c.tracks());
      n.put("evidence", c.evidence());
      named += c.probability();
    }
    o.put("nobody_p", round(Math.max(0, 1 - named)));
    ArrayNode outcomes = o.putArray("outcomes");
    for (ShelfEventBelief.Outcome outcome : belief.outcomes()) {
      outcomes.add(outcome(outcome));
    }
    tracks(o.putArray("tracks"), belief.tracks());
    o.put("attribution", attribution.explanation());
    o.put("evidence", belief.evidence());
    write(o);
  }

  @Override
  public synchronized void receiptDecided(VisitOutcome outcome) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("type", "receipt");
    o.put("visit", outcome.admission().visitId().value());
    o.put("status", outcome.decision().name());
    o.put("p_right", round(outcome.probabilityRight()));
    if (outcome.exitTs() == null) {
      o.putNull("exit_ts");
    } else {
      o.put("exit_ts", outcome.exitTs());
    }
    o.put("decided_ts", outcome.decidedTs());
    ArrayNode items = o.putArray("items");
    for (LineItem item : outcome.items()) {
      items.addObject().put("sku", item.sku().value()).put("qty", item.quantity());
    }
    ArrayNode lines = o.putArray("doubtful_lines");
    for (DoubtfulLine line : outcome.doubtfulLines()) {
      ObjectNode l = lines.addObject();
      l.put("ts", line.ts());
      l.put("bin", line.bin().value());
      sku(l, line.sku());
      l.put("qty", line.quantity());
      l.put("p", round(line.probability()));
      ArrayNode alternatives = l.putArray("alternatives");
      for (DoubtfulLine.Alternative a : line.alternatives()) {
        ObjectNode n = alternatives.addObject();
        n.put("visit", a.visit());
        sku(n, a.sku());
        n.put("qty", a.quantity());
        n.put("p", round(a.probability()));
      }
      tracks(l.putArray("tracks"), line.tracks());
      l.put("evidence", line.evidence());
    }
    ArrayNode reasons = o.putArray("reasons");
    outcome.reasons().forEach(reasons::add);
    write(o);
  }

  /** Flushes and closes the file. @throws IOException if any line could not be written */
  @Override
  public synchronized void close() throws IOException {
    out.close();
    if (failure != null) {
      throw failure;
    }
  }

  private void write(ObjectNode o) {
    if (failure != null) {
      return;
    }
    try {
      out.write(MAPPER.writeValueAsString(o));
      out.write('\n');
    } catch (IOException e) {
      failure = e;
    }
  }

  private static ObjectNode outcome(ShelfEventBelief.Outcome outcome) {
    ObjectNode n = MAPPER.createObjectNode();
    VisitId visit = outcome.visit();
    if (visit == null) {
      n.putNull("visit");
    } else {
      n.put("visit", visit.value());
    }
    sku(n, outcome.sku());
    n.put("qty", outcome.quantity());
    n.put("p", round(outcome.probability()));
    return n;
  }

  private static void sku(ObjectNode n, @Nullable Sku sku) {
    if (sku == null) {
      n.putNull("sku");
    } else {
      n.put("sku", sku.value());
    }
  }

  private static void tracks(ArrayNode array, List<TrackId> tracks) {
    tracks.forEach(t -> array.add(t.value()));
  }

  private static double round(double p) {
    return Math.round(p * 1e6) / 1e6;
  }

  /** For callers that cannot throw checked exceptions. */
  public void closeUnchecked() {
    try {
      close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
