package io.haulproof.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.fixtures.BundleFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded mutation fuzzing of the bundle parser and verifier: a mutated bundle is either rejected as
 * malformed, or parsed and checked without any other exception; and it is only reported valid if
 * the evidence it carries (entries, proofs' targets, checkpoints) is the original's.
 */
class BundleFuzzTest {
  static final int MUTANTS_PER_SEED = 120;
  @TempDir static Path dir;
  static BundleFixture f;
  static byte[] good;
  static BundleVerifier verifier;

  @BeforeAll
  static void setUp() throws Exception {
    f = new BundleFixture(dir);
    good = BundleCodec.encode(f.bundle);
    verifier = f.verifier();
  }

  static LongStream seeds() {
    return LongStream.range(1, 11);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void decodeAndVerify_mutatedBundle_rejectedOrCheckedWithoutCrash(long seed) {
    Random r = new Random(seed);
    int malformed = 0;
    for (int i = 0; i < MUTANTS_PER_SEED; i++) {
      byte[] m = mutate(good, r);
      DisputeBundle b;
      try {
        b = BundleCodec.decode(m);
      } catch (BundleFormatException e) {
        assertThat(e.getMessage()).isNotBlank();
        malformed++;
        continue;
      }
      AuditReport report = verifier.verify(b);
      if (report.valid()) {
        assertThat(evidence(b)).as("seed %d mutant %d", seed, i).isEqualTo(evidence(f.bundle));
      }
    }
    assertThat(malformed).as("most mutants of JSON are malformed").isGreaterThan(0);
  }

  private static List<String> evidence(DisputeBundle b) {
    List<String> out = new ArrayList<>();
    for (DeviceEvidence d : b.logs()) {
      d.checkpoints().forEach(c -> out.add(d.device() + " cp " + c.note()));
      d.entries().forEach(e -> out.add(d.device() + " " + e.index() + " " + e.cose().toHex()));
    }
    return out;
  }

  static byte[] mutate(byte[] in, Random r) {
    byte[] b = in.clone();
    int n = 1 + r.nextInt(3);
    for (int k = 0; k < n; k++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b[at] = (byte) r.nextInt(256);
        case 2 -> b = Arrays.copyOf(b, at);
        case 3 -> {
          int len = Math.min(b.length - at, 1 + r.nextInt(40));
          byte[] c = new byte[b.length - len];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(b, at + len, c, at, b.length - at - len);
          b = c;
        }
        case 4 -> {
          byte[] ins = "0123456789abcdef\",:[]{}-".getBytes();
          byte[] c = new byte[b.length + 1];
          System.arraycopy(b, 0, c, 0, at);
          c[at] = ins[r.nextInt(ins.length)];
          System.arraycopy(b, at, c, at + 1, b.length - at);
          b = c;
        }
        default -> {
          // swap two digits or letters of a hex/base64 value, keeping the JSON well-formed
          int other = r.nextInt(b.length);
          if (Character.isLetterOrDigit(b[at]) && Character.isLetterOrDigit(b[other])) {
            byte t = b[at];
            b[at] = b[other];
            b[other] = t;
          }
        }
      }
      if (b.length == 0) {
        return b;
      }
    }
    return b;
  }
}
