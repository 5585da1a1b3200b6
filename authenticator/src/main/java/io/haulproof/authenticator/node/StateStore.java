package io.haulproof.authenticator.node;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The authenticator's per-chain state files, {@code DATA/chains/<chain>.state}, each replaced
 * atomically (temp file, fsync, rename, directory fsync) so a crash or {@code kill -9} leaves the
 * old state or the new one.
 *
 * <p>Security guarantees: {@link #save} returns only once the state is durable, and the node saves
 * the state that records a signature before it publishes the signature; so after any crash it never
 * signs a second header at a height it signed. A state file that does not decode is never guessed
 * at: opening fails and the operator must look.
 */
public final class StateStore {
  /** Chain ids are device ids: one MQTT topic level and one file name. */
  public static final Pattern CHAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Path dir;

  public StateStore(Path dataDir) throws IOException {
    this.dir = dataDir.resolve("chains");
    Files.createDirectories(dir);
  }

  public static String requireChain(String chain) {
    if (chain == null || !CHAIN.matcher(chain).matches()) {
      throw new IllegalArgumentException("bad chain id '" + chain + "', want " + CHAIN.pattern());
    }
    return chain;
  }

  public Optional<ChainState> load(String chain) throws IOException {
    Path f = file(chain);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      ChainState s = ChainState.decode(Bytes.wrap(Files.readAllBytes(f)));
      if (!s.chain().equals(chain)) {
        throw new IOException(f + " holds the state of chain " + s.chain());
      }
      return Optional.of(s);
    } catch (CborException e) {
      throw new IOException(f + " is damaged: " + e.getMessage(), e);
    }
  }

  /** Every chain with a state file. */
  public java.util.List<String> chains() throws IOException {
    try (var files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".state"))
          .map(n -> n.substring(0, n.length() - ".state".length()))
          .sorted()
          .toList();
    }
  }

  public void save(ChainState state) throws IOException {
    DurableFiles.write(file(state.chain()), state.encode().toByteArray());
  }

  private Path file(String chain) {
    return dir.resolve(requireChain(chain) + ".state");
  }
}
