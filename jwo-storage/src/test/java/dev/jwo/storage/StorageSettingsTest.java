package dev.jwo.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {
  @Test
  void aPasswordIsNeverPrinted() {
    StorageSettings settings = StorageSettings.postgres(
        "jdbc:postgresql://db:5432/store?password=in-url-secret&ssl=true", "jwo", "s3cret", 8);
    assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("in-url-secret").contains("(hidden)");
    assertThat(settings.describe()).doesNotContain("s3cret").doesNotContain("in-url-secret")
        .isEqualTo("PostgreSQL at jdbc:postgresql://db:5432/store?... as jwo");
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> StorageSettings.postgres("jdbc:mysql://db/store", "u", "", 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StorageSettings.postgres("jdbc:postgresql://db/store", "u", "", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(StorageSettings.embedded(Path.of("data")).describe()).isEqualTo("embedded database in data");
  }
}
