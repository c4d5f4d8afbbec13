package dev.jwo.server.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.intake.SealedCredentials;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.server.StoreModules;
import dev.jwo.storage.inject.StorageModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Rotates the biometric vault's master key: every person's key is wrapped again under a new key, recorded in the
 * audit chain, and the old key no longer opens the vault. Run it while the store is stopped.
 */
@Command(
    name = "rotate-vault-key",
    mixinStandardHelpOptions = true,
    description = "Wrap every person's key in the biometric vault again under a new master key (audited). With key"
        + " files, the new key replaces vault.key and the old one is kept as vault.key.retired-<time> for you to"
        + " destroy; an interrupted rotation is finished by running the command again. Stop the store first.")
final class RotateVaultKeyCommand implements Callable<Integer> {
  @Option(names = "--store", required = true, paramLabel = "FILE", description = "the store's store.json")
  Path store;

  @Mixin StorageOptions storage = new StorageOptions();

  @Mixin KeyOptions keyOptions = new KeyOptions();

  @Option(names = "--new-vault-key", paramLabel = "FILE",
      description = "the new master key file, created if missing (default with key files: vault.key.next beside"
          + " the current key; needed when the keys come from the environment)")
  @Nullable Path newVaultKey;

  RotateVaultKeyCommand() {
    this.store = Path.of("store.json");
  }

  @Override
  public Integer call() throws Exception {
    StoreLayout layout = StoreLogReader.readStore(store);
    if (keyOptions.devKeys) {
      throw new IllegalArgumentException("--dev-keys are held in memory by the process that made them; there is no"
          + " master key to rotate");
    }
    StoreKeyProvider keys = keyOptions.provider(System.getenv(), storage.data, storage.jdbcUrl == null, System.out);
    Path current = keys instanceof KeyFileProvider files ? files.vaultKeyFile() : null;
    Path next = newVaultKey != null ? newVaultKey
        : current != null ? current.resolveSibling(current.getFileName() + ".next") : null;
    if (next == null) {
      throw new IllegalArgumentException("the keys come from " + keys.describe() + ": give the new master key file"
          + " with --new-vault-key FILE, then start the store with the new key in place of the old one");
    }
    VaultMasterKey nextKey = KeyFileProvider.forVaultKeyFile(next).vaultMasterKey();
    DataFolderLock lock = storage.jdbcUrl == null ? DataFolderLock.acquire(storage.data, "jwo rotate-vault-key") : null;
    int rewrapped;
    int credentialKeys;
    try {
      List<Module> modules = StoreModules.forStore(layout, new StorageModule(storage.settings()),
          binder -> OptionalBinder.newOptionalBinder(binder, StoreKeyProvider.class).setBinding().toInstance(keys));
      Injector injector = Guice.createInjector(modules);
      StoreStorage stored = injector.getInstance(StoreStorage.class);
      try {
        // The vault checks the current key first; the visits' credential keys are wrapped again before the vault's
        // check value moves to the new key, so a rotation cut short is run again with the same keys.
        BiometricVault vault = injector.getInstance(BiometricVault.class);
        credentialKeys = injector.getInstance(SealedCredentials.class).rotateMasterKey(nextKey);
        rewrapped = vault.rotateMasterKey(nextKey, injector.getInstance(Clock.class).millis());
      } finally {
        stored.close();
      }
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
    System.out.println("wrapped " + rewrapped + " person keys and " + credentialKeys + " visits' credential keys again"
        + " under master key " + nextKey.id());
    if (current != null && newVaultKey == null) {
      Path retired = current.resolveSibling(current.getFileName() + ".retired-" + System.currentTimeMillis());
      Files.move(current, retired, StandardCopyOption.ATOMIC_MOVE);
      Files.move(next, current, StandardCopyOption.ATOMIC_MOVE);
      System.out.println("the new key is " + current + "; the old one was moved to " + retired
          + ": destroy it once your backups no longer need it");
    } else {
      System.out.println("start the store with the new key " + next + " from now on; the old key no longer opens"
          + " the vault");
    }
    return 0;
  }
}
