package io.haulproof.agent.cli;

import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.KeyStoreException;
import io.haulproof.lightchain.crypto.PublicKeys;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof keys show}: the device's public key as SubjectPublicKeyInfo PEM, then {@code kid <hex>} (DESIGN.md,
 * "CLI").
 *
 * <p>Reads {@code DATA/keys/device.pub.pem}, which both key stores (encrypted file and PKCS#11 token) write, so it
 * needs neither passphrase nor PIN. Exit 2 when the data dir has no key or the PEM is unreadable.
 */
@Command(
    name = "keys",
    description = "Show the device key.",
    mixinStandardHelpOptions = true,
    subcommands = {KeysCommand.Show.class})
final class KeysCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof keys: missing subcommand (show)");
    return Main.EXIT_USAGE;
  }

  /** {@code keys show --data-dir DIR}. */
  @Command(name = "show", description = "Print the public key (PEM) and its kid.", mixinStandardHelpOptions = true)
  static final class Show implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "The agent's data directory.")
    Path dataDir;

    @Override
    public Integer call() {
      Optional<PublicKey> key;
      try {
        key = FileKeyStore.readPublicKey(dataDir);
      } catch (KeyStoreException e) {
        System.err.println("haulproof keys show: " + e.getMessage());
        return Main.EXIT_USAGE;
      }
      if (key.isEmpty()) {
        System.err.println("haulproof keys show: no device key in " + FileKeyStore.keysDir(dataDir).resolve(
            FileKeyStore.PUBLIC_FILE));
        return Main.EXIT_USAGE;
      }
      System.out.print(PublicKeys.toPem(key.get()));
      System.out.println("kid " + Kid.of(key.get()).toHex());
      System.out.flush();
      return 0;
    }
  }
}
