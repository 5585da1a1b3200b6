package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.testing.CapturedOutput;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.block.BlockStore;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointStore;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.lightchain.testing.TestChains;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haulproof chain …} in-process on data dirs built through the {@link Lightchain} facade,
 * then tampered.
 */
class ChainCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ENTRIES = 23;

  @RegisterExtension final CapturedOutput captured = new CapturedOutput();
  private final ByteArrayOutputStream out = captured.out();
  private final ByteArrayOutputStream err = captured.err();
  private final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  private final List<Appended> acked = new ArrayList<>();

  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    try (Lightchain chain = TestChains.open(dir, key, "truck-7")) {
      acked.addAll(TestChains.appendConfigs(chain, ENTRIES));
    }
  }

  private List<String> lines() {
    String s = out.toString(StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
  }

  private JsonNode lastJson() throws IOException {
    List<String> l = lines();
    return JSON.readTree(l.get(l.size() - 1));
  }

  private String dd() {
    return dir.toString();
  }

  @Test
  void verify_untouchedChain_exit0WithCounts() throws Exception {
    int code = Main.run("chain", "verify", "--data-dir", dd());
    assertThat(code).as(err.toString()).isZero();
    JsonNode j = lastJson();
    assertThat(j.get("valid").asBoolean()).isTrue();
    assertThat(j.get("entries").asLong()).isEqualTo(ENTRIES);
    assertThat(j.get("blocks").asLong()).isEqualTo(5);
    assertThat(j.get("tree_size").asLong()).isEqualTo(ENTRIES);
    Checkpoint cp = Checkpoint.parse(new CheckpointStore(dir).load().orElseThrow().text());
    assertThat(j.get("root").asText()).isEqualTo(cp.root().toHex());
    assertThat(j.get("min_quorum").asInt()).as("single-node: the device's own signature").isOne();
    assertThat(j.get("pending").asLong()).isZero();
    assertThat(lines()).hasSize(1);
    assertThat(JSON.readTree(lines().get(0)).fieldNames())
        .toIterable()
        .containsExactly(
            "valid",
            "entries",
            "blocks",
            "tree_size",
            "root",
            "min_quorum",
            "pending",
            "covered_gaps",
            "gaps");
    assertThat(j.get("covered_gaps").asInt()).isZero();
    assertThat(j.get("gaps").isEmpty()).isTrue();
  }

  @Test
  void export_printsOneLinePerEntryWithExactCose() throws Exception {
    assertThat(Main.run("chain", "export", "--data-dir", dd())).isZero();
    List<String> l = lines();
    assertThat(l).hasSize(ENTRIES);
    for (int i = 0; i < ENTRIES; i++) {
      JsonNode j = JSON.readTree(l.get(i));
      assertThat(j.get("index").asLong()).isEqualTo(i);
      assertThat(j.get("kind").asText()).isEqualTo("config");
      assertThat(j.get("seq").asLong()).isEqualTo(acked.get(i).seq());
      assertThat(j.get("cose").asText()).isEqualTo(acked.get(i).cose().toHex());
    }
  }

  @Test
  void proof_indexAndSize_verifiesAgainstCheckpointRoot() throws Exception {
    // given the checkpoint at the full size
    Checkpoint cp = Checkpoint.parse(new CheckpointStore(dir).load().orElseThrow().text());
    // when
    assertThat(Main.run("chain", "proof", "--data-dir", dd(), "--index", "7")).isZero();
    JsonNode j = lastJson();
    // then
    assertThat(j.get("index").asLong()).isEqualTo(7);
    assertThat(j.get("tree_size").asLong()).isEqualTo(ENTRIES);
    assertThat(j.get("root").asText()).isEqualTo(cp.root().toHex());
    List<Hash> path = new ArrayList<>();
    j.get("path").forEach(h -> path.add(Hash.fromHex(h.asText())));
    ProofVerifier.verifyInclusion(
        7, ENTRIES, Rfc9162.leafHash(acked.get(7).cose()), path, cp.root());
  }

  @Test
  void proof_olderSize_usesThatTree() throws Exception {
    assertThat(Main.run("chain", "proof", "--data-dir", dd(), "--index", "3", "--size", "10"))
        .isZero();
    JsonNode j = lastJson();
    assertThat(j.get("tree_size").asLong()).isEqualTo(10);
    List<Hash> path = new ArrayList<>();
    j.get("path").forEach(h -> path.add(Hash.fromHex(h.asText())));
    ProofVerifier.verifyInclusion(
        3, 10, Rfc9162.leafHash(acked.get(3).cose()), path, Hash.fromHex(j.get("root").asText()));
  }

  @Test
  void proof_indexAtOrBeyondSize_exit2() {
    assertThat(Main.run("chain", "proof", "--data-dir", dd(), "--index", "10", "--size", "10"))
        .isEqualTo(2);
    assertThat(Main.run("chain", "proof", "--data-dir", dd(), "--index", String.valueOf(ENTRIES)))
        .isEqualTo(2);
    assertThat(Main.run("chain", "proof", "--data-dir", dd(), "--index", "1", "--size", "999"))
        .isEqualTo(2);
    assertThat(lines()).isEmpty();
  }

  @Test
  void checkpoint_printsSignedNote() throws Exception {
    assertThat(Main.run("chain", "checkpoint", "--data-dir", dd())).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("haulproof.io/v1/fleet-1/truck-7\n" + ENTRIES + "\n");
    assertThat(text).contains("\n\n\u2014 haulproof.io/v1/fleet-1/truck-7 ");
    assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThan(400);
  }

  @Test
  void verify_missingDataDir_exit2() {
    assertThat(Main.run("chain", "verify", "--data-dir", dir.resolve("nope").toString()))
        .isEqualTo(2);
  }

  @Test
  void verify_flippedByteInSegment_exit1WithReason() throws Exception {
    // given a flipped byte in the middle of the first log segment
    Path seg;
    try (Stream<Path> s = Files.list(dir.resolve("log"))) {
      seg =
          s.filter(p -> p.getFileName().toString().endsWith(".seg"))
              .sorted()
              .findFirst()
              .orElseThrow();
    }
    flip(seg, Files.size(seg) / 2);
    // when
    int code = Main.run("chain", "verify", "--data-dir", dd());
    // then: damage is either quarantined (the entry is lost) or caught by a signature; never valid
    assertThat(code).isEqualTo(1);
    JsonNode j = lastJson();
    assertThat(j.get("valid").asBoolean()).isFalse();
    assertThat(j.get("reason").asText()).isNotBlank();
  }

  @Test
  void verify_flippedByteAndMerkleTreeDeleted_exit1WithReasonNotInputError() throws Exception {
    // given damage in the middle of the log, and the derived Merkle tree gone, so the reader must
    // rebuild it over a
    // quarantined record instead of reading it
    Path seg;
    try (Stream<Path> s = Files.list(dir.resolve("log"))) {
      seg =
          s.filter(p -> p.getFileName().toString().endsWith(".seg"))
              .sorted()
              .findFirst()
              .orElseThrow();
    }
    flip(seg, Files.size(seg) / 2);
    try (Stream<Path> s = Files.walk(dir.resolve("merkle"))) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    // when
    int code = Main.run("chain", "verify", "--data-dir", dd());
    // then: a failed check (1) with a reason, not an input error (2); verification is read-only,
    // so nothing is quarantined (the agent does that when it opens the log)
    assertThat(code).as(err.toString()).isEqualTo(1);
    JsonNode j = lastJson();
    assertThat(j.get("valid").asBoolean()).isFalse();
    assertThat(j.get("reason").asText()).isNotBlank();
    assertThat(dir.resolve("quarantine")).doesNotExist();
    assertThat(dir.resolve("merkle")).doesNotExist();
  }

  @Test
  void verify_lastEntryCutAtFrameBoundary_exit1NamingTheMissingEntry() throws Exception {
    // given: the last frame (16 bytes of framing + the entry) cut off the newest segment
    Path seg = lastSegment();
    long frame = 16 + acked.get(ENTRIES - 1).cose().length();
    truncate(seg, Files.size(seg) - frame);
    // when
    int code = Main.run("chain", "verify", "--data-dir", dd());
    // then: the tree head records 23 entries, the log holds 22
    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(lastJson().get("reason").asText())
        .contains("entries " + (ENTRIES - 1) + ".." + (ENTRIES - 1) + " are missing from the log");
  }

  @Test
  void verify_lastEntryTornMidFrame_exit1AndSegmentNotCut() throws Exception {
    // given: the last frame cut in the middle, as a torn write would leave it
    Path seg = lastSegment();
    truncate(seg, Files.size(seg) - 10);
    long size = Files.size(seg);
    // when
    int code = Main.run("chain", "verify", "--data-dir", dd());
    // then: not taken for a harmless torn tail (it was acknowledged), and the file is as found
    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(lastJson().get("reason").asText()).contains("missing from the log");
    assertThat(Files.size(seg)).isEqualTo(size);
  }

  private Path lastSegment() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("log"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".seg"))
          .sorted()
          .reduce((a, b) -> b)
          .orElseThrow();
    }
  }

  private static void truncate(Path f, long size) throws IOException {
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength(size);
    }
  }

  @Test
  void verify_entryReSignedWithOtherKey_exit1() throws Exception {
    // given a log whose third entry is replaced, at the same length and with a valid frame CRC, by
    // the same payload
    // signed by another key
    DeviceKey other = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Bytes original = acked.get(2).cose();
    io.haulproof.lightchain.cose.CoseSign1 orig =
        io.haulproof.lightchain.cose.CoseSign1.decode(original);
    Bytes forged = io.haulproof.lightchain.cose.CoseSign1.sign(other, orig.payload()).encoded();
    assertThat(forged.length()).isEqualTo(original.length());
    replaceInSegments(original, forged);
    // when
    int code = Main.run("chain", "verify", "--data-dir", dd());
    // then
    assertThat(code).isEqualTo(1);
    assertThat(lastJson().get("reason").asText())
        .contains("entry 2 signed by unregistered key " + other.kid());
  }

  @Test
  void verify_blockRecordDeleted_exit1() throws Exception {
    // given the block file without its second record (header 8 bytes, then length-prefixed records)
    Path f = BlockStore.fileIn(dir);
    byte[] all = Files.readAllBytes(f);
    int first = 8 + 8 + readInt(all, 8);
    int secondLen = 8 + readInt(all, first);
    byte[] cut = new byte[all.length - secondLen];
    System.arraycopy(all, 0, cut, 0, first);
    System.arraycopy(all, first + secondLen, cut, first, all.length - first - secondLen);
    Files.write(f, cut);
    // when
    int code = Main.run("chain", "verify", "--data-dir", dd());
    // then
    assertThat(code).isEqualTo(1);
    assertThat(lastJson().get("reason").asText()).startsWith("block 1: ");
  }

  @Test
  void verify_lastBlockRecordDeleted_exit1BecauseCheckpointIsAhead() throws Exception {
    Path f = BlockStore.fileIn(dir);
    byte[] all = Files.readAllBytes(f);
    int pos = 8;
    int lastStart = pos;
    while (pos < all.length) {
      lastStart = pos;
      pos += 8 + readInt(all, pos);
    }
    Files.write(f, Arrays.copyOf(all, lastStart));
    assertThat(Main.run("chain", "verify", "--data-dir", dd())).isEqualTo(1);
    assertThat(lastJson().get("reason").asText()).contains("beyond the last block");
  }

  @Test
  void verify_checkpointWithWrongRoot_exit1() throws Exception {
    // given the stored checkpoint replaced by one for a wrong root, properly signed by the device
    Checkpoint cp = Checkpoint.parse(new CheckpointStore(dir).load().orElseThrow().text());
    new CheckpointStore(dir)
        .save(
            new io.haulproof.lightchain.checkpoint.CheckpointSigner(key)
                .sign(new Checkpoint(cp.origin(), cp.size(), Hash.sha256(new byte[] {1}))));
    assertThat(Main.run("chain", "verify", "--data-dir", dd())).isEqualTo(1);
    assertThat(lastJson().get("reason").asText()).contains("wrong root");
  }

  @Test
  void verify_blockWithWrongTreeRoot_exit1() throws Exception {
    // given the last block re-proposed over a wrong root (properly signed): the stored chain must
    // not accept it
    Path f = BlockStore.fileIn(dir);
    List<io.haulproof.lightchain.block.Block> blocks =
        new java.util.ArrayList<>(BlockStore.readStrict(dir)); // a copy: the view reads the file
    io.haulproof.lightchain.block.Block last = blocks.get(blocks.size() - 1);
    io.haulproof.lightchain.block.Block bad =
        new io.haulproof.lightchain.poah.LocalProposer(key)
            .propose(
                Optional.of(blocks.get(blocks.size() - 2)),
                last.header().firstIndex(),
                last.header().count(),
                Hash.sha256(new byte[] {2}),
                1L);
    Files.delete(f);
    try (BlockStore store = BlockStore.open(dir)) {
      for (int i = 0; i < blocks.size() - 1; i++) {
        store.append(blocks.get(i));
      }
      store.append(bad.withAuthentication(last.authentications().get(0)));
    }
    assertThat(Main.run("chain", "verify", "--data-dir", dd())).isEqualTo(1);
    assertThat(lastJson().get("reason").asText()).contains("wrong tree_root");
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static void flip(Path f, long at) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0x20);
    }
  }

  /**
   * Overwrites the bytes of {@code from} with {@code to} wherever they occur in a segment (same
   * length).
   */
  private void replaceInSegments(Bytes from, Bytes to) throws IOException {
    byte[] needle = from.toByteArray();
    boolean done = false;
    try (Stream<Path> s = Files.list(dir.resolve("log"))) {
      for (Path seg : s.filter(p -> p.getFileName().toString().endsWith(".seg")).toList()) {
        byte[] all = Files.readAllBytes(seg);
        for (int i = 0; i + needle.length <= all.length; i++) {
          if (Arrays.equals(all, i, i + needle.length, needle, 0, needle.length)) {
            System.arraycopy(to.toByteArray(), 0, all, i, needle.length);
            // re-seal the frame (length u32 | CRC32C u32 | index u64 | payload) so only the
            // signature can tell
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(all, i - 16, 4);
            crc.update(all, i - 8, 8 + needle.length);
            int c = (int) crc.getValue();
            all[i - 12] = (byte) (c >>> 24);
            all[i - 11] = (byte) (c >>> 16);
            all[i - 10] = (byte) (c >>> 8);
            all[i - 9] = (byte) c;
            Files.write(seg, all);
            done = true;
            break;
          }
        }
      }
    }
    assertThat(done).as("entry bytes found in a segment").isTrue();
  }
}
