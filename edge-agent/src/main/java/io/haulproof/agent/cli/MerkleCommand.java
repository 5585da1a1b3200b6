package io.haulproof.agent.cli;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof merkle root|inclusion|consistency}: RFC 9162 roots and proofs over leaves read
 * as hex on stdin.
 *
 * <p>Each stdin line is the hex of one leaf's data; an empty line is an empty leaf (as in RFC
 * 6962's reference tree). The leaf hash is computed. Output is lowercase hex, one hash per line,
 * proofs leaf to root. Bad hex or an out-of-range index exits 2.
 */
@Command(
    name = "merkle",
    description = "RFC 9162 Merkle roots and proofs over hex leaves read from stdin.",
    mixinStandardHelpOptions = true,
    subcommands = {
      MerkleCommand.Root.class,
      MerkleCommand.Inclusion.class,
      MerkleCommand.Consistency.class
    })
final class MerkleCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof merkle: missing subcommand (root, inclusion or consistency)");
    return Main.EXIT_USAGE;
  }

  /**
   * Reads leaves from stdin into an in-memory tree; null (after a message on stderr) if a line is
   * not hex.
   */
  static MerkleTree readLeaves() throws IOException {
    MerkleTree tree = MerkleTree.inMemory();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    int lineNo = 0;
    while ((line = in.readLine()) != null) {
      lineNo++;
      String t = line.strip();
      Bytes data;
      try {
        data = Bytes.fromHex(t);
      } catch (IllegalArgumentException e) {
        System.err.println("haulproof merkle: line " + lineNo + " is not hex: " + e.getMessage());
        return null;
      }
      tree.append(Rfc9162.leafHash(data));
    }
    return tree;
  }

  static void print(List<Hash> hashes) {
    PrintStream out = System.out;
    for (Hash h : hashes) {
      out.println(h.toHex());
    }
    out.flush();
  }

  /** {@code merkle root}. */
  @Command(name = "root", description = "Print the root of the leaves on stdin.")
  static final class Root implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      MerkleTree tree = readLeaves();
      if (tree == null) {
        return Main.EXIT_USAGE;
      }
      print(List.of(tree.root()));
      return 0;
    }
  }

  /** {@code merkle inclusion --index I}. */
  @Command(
      name = "inclusion",
      description = "Print the inclusion proof (audit path) of leaf I, leaf to root.")
  static final class Inclusion implements Callable<Integer> {
    @Option(names = "--index", required = true, description = "leaf index, 0-based")
    long index;

    @Override
    public Integer call() throws IOException {
      MerkleTree tree = readLeaves();
      if (tree == null) {
        return Main.EXIT_USAGE;
      }
      if (index < 0 || index >= tree.size()) {
        System.err.println(
            "haulproof merkle: index " + index + " out of range for size " + tree.size());
        return Main.EXIT_USAGE;
      }
      print(tree.inclusionProof(index, tree.size()));
      return 0;
    }
  }

  /** {@code merkle consistency --old M}. */
  @Command(
      name = "consistency",
      description = "Print the consistency proof from the first M leaves to all of them.")
  static final class Consistency implements Callable<Integer> {
    @Option(
        names = "--old",
        required = true,
        description = "the old tree size M, 0 < M <= number of leaves")
    long old;

    @Override
    public Integer call() throws IOException {
      MerkleTree tree = readLeaves();
      if (tree == null) {
        return Main.EXIT_USAGE;
      }
      if (old <= 0 || old > tree.size()) {
        System.err.println(
            "haulproof merkle: old size " + old + " out of range (0, " + tree.size() + "]");
        return Main.EXIT_USAGE;
      }
      print(tree.consistencyProof(old, tree.size()));
      return 0;
    }
  }
}
