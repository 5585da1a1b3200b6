package io.haulproof.lightchain.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Hash;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootAccumulatorTest {
  /** The naive recursive definition of RFC 9162 §2.1, for cross-checking. */
  private static byte[] mth(List<byte[]> leaves, MessageDigest d) {
    if (leaves.isEmpty()) {
      d.reset();
      return d.digest();
    }
    if (leaves.size() == 1) {
      return RootAccumulator.leafHash(d, leaves.get(0));
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    byte[] l = mth(leaves.subList(0, k), d);
    byte[] r = mth(leaves.subList(k, leaves.size()), d);
    d.reset();
    d.update((byte) 1);
    d.update(l);
    d.update(r);
    return d.digest();
  }

  @Test
  void root_everySizeUpTo300_matchesNaiveTree() {
    // given
    MessageDigest d = Hash.newDigest();
    RootAccumulator acc = new RootAccumulator();
    List<byte[]> leaves = new ArrayList<>();
    assertThat(acc.root().toByteArray()).isEqualTo(mth(leaves, d));
    for (int i = 0; i < 300; i++) {
      byte[] leaf = ("leaf-" + i).getBytes();
      leaves.add(leaf);
      // when
      acc.append(RootAccumulator.leafHash(Hash.newDigest(), leaf));
      // then
      assertThat(acc.root().toByteArray()).as("size %d", i + 1).isEqualTo(mth(leaves, d));
    }
  }

  @Test
  void root_rfc6962ReferenceLeaves_matchesKnownRoot() {
    // given the eight leaves of RFC 6962's reference tests (see /work/shared/vectors/README.md)
    String[] hex = {
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f"
    };
    RootAccumulator acc = new RootAccumulator();
    for (String h : hex) {
      acc.append(RootAccumulator.leafHash(Hash.newDigest(), HexFormat.of().parseHex(h)));
    }
    // then: the well-known 8-leaf root
    assertThat(acc.root().toHex())
        .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    assertThat(Arrays.equals(acc.root().toByteArray(), acc.root().toByteArray())).isTrue();
  }
}
