package dev.jwo.testing.pipeline;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.pipeline.SnapshotStage;
import dev.jwo.core.v1.AdmissionState;
import dev.jwo.core.visit.Admission;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fake pipeline stage that can be snapshotted: it counts the events it is given by type and keeps every admission.
 * For tests of what takes and restores snapshots. Not thread-safe; the pipeline calls it from one thread.
 */
public final class CountingStage implements SensorEventHandler, SnapshotStage {
  private final Map<String, Long> counts = new TreeMap<>();
  private final List<Admission> admissions = new ArrayList<>();

  @Override
  public PipelineStage stage() {
    return PipelineStage.OBSERVERS;
  }

  @Override
  public void onEvent(SensorEvent event) {
    counts.merge(event.type(), 1L, Long::sum);
    if (event instanceof EntryEvent entry) {
      admissions.add(Admission.from(entry));
    }
  }

  /** Events given so far, by type. */
  public Map<String, Long> counts() {
    return Map.copyOf(counts);
  }

  /** Every admission given so far, in order. */
  public List<Admission> admissions() {
    return List.copyOf(admissions);
  }

  @Override
  public String snapshotName() {
    return "counting";
  }

  @Override
  public int snapshotVersion() {
    return 1;
  }

  @Override
  public ByteString exportState(SnapshotSeal seal) {
    ByteString.Output bytes = ByteString.newOutput();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeUInt32NoTag(counts.size());
      for (Map.Entry<String, Long> count : counts.entrySet()) {
        out.writeStringNoTag(count.getKey());
        out.writeInt64NoTag(count.getValue());
      }
      for (Admission admission : admissions) {
        out.writeBytesNoTag(seal.seal(admission).toByteString());
      }
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the counting stage's state", e);
    }
    return bytes.toByteString();
  }

  @Override
  public void restoreState(int version, ByteString state, SnapshotSeal seal) {
    if (version != 1) {
      throw new IllegalArgumentException("counting stage state version " + version + " is unknown");
    }
    CodedInputStream in = state.newCodedInput();
    counts.clear();
    admissions.clear();
    try {
      int types = in.readUInt32();
      for (int i = 0; i < types; i++) {
        counts.put(in.readString(), in.readInt64());
      }
      while (!in.isAtEnd()) {
        admissions.add(seal.open(AdmissionState.parseFrom(in.readBytes())));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("the counting stage's state cannot be read: " + e.getMessage(), e);
    }
  }
}
