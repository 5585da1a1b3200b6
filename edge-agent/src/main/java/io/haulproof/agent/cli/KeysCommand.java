package io.haulproof.agent.cli;

import io.haulproof.agent.mgmt.ManagementAgent;
import io.haulproof.agent.provision.DeviceIdentity;
import io.haulproof.agent.runtime.AgentFactory;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.KeyStoreException;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PublicKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof keys show}: the device's public key as SubjectPublicKeyInfo PEM, then {@code kid
 * <hex>} (DESIGN.md, "CLI").
 *
 * <p>Prints the key the agent signs with now. With management, that is the device identity's active
 * key, published in {@code DATA/provision/identity/active.pub.pem} whenever it changes (enrollment,
 * rotation, rollback); without, it is {@code DATA/keys/device.pub.pem}, which both key stores
 * (encrypted file and PKCS#11 token) write. Neither needs a passphrase or PIN. Exit 2 when the data
 * dir has no key or the PEM is unreadable.
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
  @Command(
      name = "show",
      description = "Print the public key (PEM) and its kid.",
      mixinStandardHelpOptions = true)
  static final class Show implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "The agent's data directory.")
    Path dataDir;

    @Override
    public Integer call() {
      Optional<PublicKey> key;
      Path identityKey =
          DeviceIdentity.activePublicKey(
              ManagementAgent.identityDir(AgentFactory.managementStateDir(dataDir)));
      try {
        if (Files.exists(identityKey)) {
          key =
              Optional.of(
                  PublicKeys.fromPem(Files.readString(identityKey, StandardCharsets.US_ASCII)));
        } else {
          key = FileKeyStore.readPublicKey(dataDir);
        }
      } catch (IOException e) {
        System.err.println(
            "haulproof keys show: cannot read " + identityKey + ": " + e.getMessage());
        return Main.EXIT_USAGE;
      } catch (KeyStoreException
          | IllegalArgumentException
          | io.haulproof.lightchain.crypto.VerificationException e) {
        System.err.println("haulproof keys show: " + e.getMessage());
        return Main.EXIT_USAGE;
      }
      if (key.isEmpty()) {
        System.err.println(
            "haulproof keys show: no device key in "
                + FileKeyStore.keysDir(dataDir).resolve(FileKeyStore.PUBLIC_FILE));
        return Main.EXIT_USAGE;
      }
      System.out.print(PublicKeys.toPem(key.get()));
      System.out.println("kid " + Kid.of(key.get()).toHex());
      System.out.flush();
      return 0;
    }
  }
}
