package io.haulproof.agent.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.haulproof.agent.config.ConfigException;
import io.haulproof.drivers.remote.NodeRegistry;
import io.haulproof.lightchain.crypto.PublicKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The registered smart-bin nodes of a gateway ({@code remote.nodesFile}): each node's id and the
 * PEM file of the key it signs its readings with.
 *
 * <pre>
 * nodes:
 *   - { id: bin-7, publicKey: /etc/haulproof/nodes/bin-7.pub.pem }
 * </pre>
 */
public final class NodesFile {
  private NodesFile() {}

  /** One registered node. */
  public record Node(String id, String publicKey) {}

  /** The file's shape. */
  public record Nodes(List<Node> nodes) {}

  /** Loads the file into a registry; every problem names the file and the entry. */
  public static NodeRegistry load(Path file) {
    Nodes nodes;
    try {
      nodes =
          new ObjectMapper(new YAMLFactory())
              .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readValue(Files.readString(file), Nodes.class);
    } catch (IOException e) {
      throw new ConfigException("remote.nodesFile", file + ": " + e.getMessage());
    }
    NodeRegistry registry = new NodeRegistry();
    Set<String> seen = new HashSet<>();
    List<Node> list = nodes == null || nodes.nodes() == null ? List.of() : nodes.nodes();
    for (int i = 0; i < list.size(); i++) {
      Node n = list.get(i);
      String where = file + " nodes[" + i + "]";
      if (n == null || n.id() == null || n.id().isBlank() || n.publicKey() == null) {
        throw new ConfigException("remote.nodesFile", where + ": id and publicKey are required");
      }
      if (!seen.add(n.id())) {
        throw new ConfigException("remote.nodesFile", where + ": duplicate node id " + n.id());
      }
      try {
        registry.register(n.id(), PublicKeys.fromPem(Files.readString(Path.of(n.publicKey()))));
      } catch (IOException | RuntimeException e) {
        throw new ConfigException(
            "remote.nodesFile", where + ": public key " + n.publicKey() + ": " + e.getMessage());
      }
    }
    return registry;
  }
}
