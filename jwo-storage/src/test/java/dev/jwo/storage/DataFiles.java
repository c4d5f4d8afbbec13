package dev.jwo.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The bytes of every file under an embedded store's data directory, in path order. */
final class DataFiles {
  private DataFiles() {}

  static byte[] read(Path dataDir) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      all.write(Files.readAllBytes(file));
    }
    return all.toByteArray();
  }
}
