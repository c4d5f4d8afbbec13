package dev.jwo.server.cli;

import dev.jwo.core.StoreLayout;
import dev.jwo.payments.StoreTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --settings FILE}: the store's tables as data (tax per product category, restricted-item rules), by default
 * {@value StoreTables#FILE_NAME} beside the store file when there is one.
 */
final class StoreSettingsOption {
  @Option(names = "--settings", paramLabel = "FILE",
      description = "the store's tax per product category and restricted-item rules, as JSON (default: "
          + StoreTables.FILE_NAME + " beside the store file, if there is one; without: no tax, alcohol and "
          + "tobacco need 21 in the US and 18 elsewhere)")
  @Nullable Path settings;

  /** The settings file that applies to {@code storeFile}'s store: the one given, or the one beside it, if any. */
  Optional<Path> file(Path storeFile) {
    if (settings != null) {
      return Optional.of(settings);
    }
    Path beside = storeFile.toAbsolutePath().resolveSibling(StoreTables.FILE_NAME);
    return Files.exists(beside) ? Optional.of(beside) : Optional.empty();
  }

  /** The tables of {@link #file}, read and checked against {@code layout}'s catalog, if there is a file. */
  Optional<StoreTables> tables(Path storeFile, StoreLayout layout) throws IOException {
    Optional<Path> file = file(storeFile);
    return file.isPresent() ? Optional.of(StoreTables.read(file.get(), layout)) : Optional.empty();
  }
}
