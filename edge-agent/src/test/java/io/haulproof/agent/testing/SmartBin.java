package io.haulproof.agent.testing;

import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A smart-bin node for process-level tests: its key, its entry in a {@code nodes.yaml}, and signed
 * readings written to files for {@code mosquitto_pub -f} or {@code coap-client -f}.
 */
public final class SmartBin {
  private final String id;
  private final Path dir;
  private final SoftwareDeviceKey key;

  /** A new node {@code id} whose files live in {@code dir}; writes its public key there. */
  public SmartBin(String id, Path dir) throws IOException {
    this.id = id;
    this.dir = dir;
    this.key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
    Files.createDirectories(dir);
    Files.writeString(pem(), PublicKeys.toPem(key.publicKey()));
  }

  public String id() {
    return id;
  }

  private Path pem() {
    return dir.resolve(id + ".pub.pem");
  }

  /** Writes {@code nodes.yaml} registering this node; returns its path. */
  public Path nodesFile() throws IOException {
    Path f = dir.resolve("nodes.yaml");
    Files.writeString(f, "nodes:\n  - { id: " + id + ", publicKey: \"" + pem() + "\" }\n");
    return f;
  }

  /** A reading with {@code counter}, signed by this node, as a file. */
  public Path reading(long counter) throws IOException {
    NodePayload p =
        new NodePayload(
            id,
            counter,
            OptionalLong.of(1_790_000_000L + counter),
            OptionalInt.of(55),
            Optional.of(false),
            Optional.of(false),
            Optional.empty(),
            Optional.of(false),
            Optional.empty(),
            OptionalLong.empty(),
            OptionalLong.of(612),
            Optional.of("mm"));
    Path f = dir.resolve(id + "-reading-" + counter + ".cose");
    Files.write(f, CoseSign1.sign(key, p.encode()).encoded().toByteArray());
    return f;
  }
}
