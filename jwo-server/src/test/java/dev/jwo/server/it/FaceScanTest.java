package dev.jwo.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** The at-rest scan finds a face vector in every encoding it claims to, and nothing in unrelated bytes. */
class FaceScanTest {
  private final double[] face = new Random(7).doubles(128, -1, 1).toArray();

  @Test
  void findsAVectorAsDoublesFloatsTextBase64AndDeflated() {
    byte[] doubles = doubles(ByteOrder.LITTLE_ENDIAN);
    assertFound(padded(doubles));
    assertFound(padded(doubles(ByteOrder.BIG_ENDIAN)));
    ByteBuffer floats = ByteBuffer.allocate(face.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : face) {
      floats.putFloat((float) v);
    }
    assertFound(padded(floats.array()));
    assertFound(padded(Arrays.toString(face).getBytes(StandardCharsets.UTF_8)));
    assertFound(padded(Base64.getEncoder().encode(doubles)));
    assertFound(padded(deflated(doubles)));
  }

  @Test
  void findsNothingInBytesThatHoldNoVector() {
    byte[] noise = new byte[200_000];
    new Random(11).nextBytes(noise);
    FaceScan scan = new FaceScan(List.of(face));
    scan.bytes("noise", noise);
    scan.bytes("deflated noise", padded(deflated(noise)));
    assertThat(scan.findings()).isEmpty();
  }

  private void assertFound(byte[] bytes) {
    FaceScan scan = new FaceScan(List.of(face));
    scan.bytes("file", bytes);
    assertThat(scan.findings()).isNotEmpty();
  }

  private byte[] doubles(ByteOrder order) {
    ByteBuffer buffer = ByteBuffer.allocate(face.length * 8).order(order);
    for (double v : face) {
      buffer.putDouble(v);
    }
    return buffer.array();
  }

  private static byte[] deflated(byte[] plain) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    deflater.setInput(plain);
    deflater.finish();
    byte[] out = new byte[plain.length * 2 + 64];
    int length = deflater.deflate(out);
    deflater.end();
    return Arrays.copyOf(out, length);
  }

  /** The bytes among others, as a value lies in a database page. */
  private static byte[] padded(byte[] bytes) {
    byte[] page = new byte[bytes.length + 1_000];
    Arrays.fill(page, (byte) 0x20);
    System.arraycopy(bytes, 0, page, 500, bytes.length);
    return page;
  }
}
