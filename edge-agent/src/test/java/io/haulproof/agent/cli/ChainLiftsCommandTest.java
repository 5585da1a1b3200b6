package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.testing.CapturedOutput;
import io.haulproof.lightchain.DataDirLayout;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.SampleEntries;
import io.haulproof.lightchain.testing.TestChains;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code haulproof chain lifts} in-process on a data dir with lifts of three bins. */
class ChainLiftsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BIN_A = "8000e1a5f3c20d41";
  private static final String BIN_B = "e2801160600002054c7c4b0a";

  @RegisterExtension final CapturedOutput captured = new CapturedOutput();
  private final ByteArrayOutputStream out = captured.out();
  private final ByteArrayOutputStream err = captured.err();
  private final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  private final List<Long> liftsOfA = new ArrayList<>();

  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    try (Lightchain chain = TestChains.open(dir, key, "truck-7")) {
      TestChains.appendConfigs(chain, 3);
      for (int i = 0; i < 12; i++) {
        String bin = i % 3 == 0 ? BIN_A : i % 3 == 1 ? BIN_B : "0102";
        long index =
            chain
                .append(SampleEntries.collection(Bytes.fromHex(bin)))
                .get(30, TimeUnit.SECONDS)
                .index();
        if (bin.equals(BIN_A)) {
          liftsOfA.add(index);
        }
        chain.append(SampleEntries.unidentifiedCollection()).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private List<JsonNode> json() throws Exception {
    String s = out.toString(StandardCharsets.UTF_8).strip();
    List<JsonNode> l = new ArrayList<>();
    for (String line : s.isEmpty() ? List.<String>of() : Arrays.asList(s.split("\n"))) {
      l.add(JSON.readTree(line));
    }
    out.reset();
    return l;
  }

  private int lifts(String... extra) {
    List<String> args = new ArrayList<>(List.of("chain", "lifts", "--data-dir", dir.toString()));
    args.addAll(List.of(extra));
    return Main.run(args.toArray(String[]::new));
  }

  @Test
  void lifts_knownBin_oneLinePerLiftInLogOrderThenSummary() throws Exception {
    assertThat(lifts("--bin", BIN_A)).as(err.toString()).isZero();
    List<JsonNode> l = json();
    assertThat(l).hasSize(liftsOfA.size() + 1);
    for (int i = 0; i < liftsOfA.size(); i++) {
      JsonNode j = l.get(i);
      assertThat(j.fieldNames())
          .toIterable()
          .containsExactly(
              "index", "seq", "time", "outcome", "exception", "net", "unit", "stable", "flags");
      assertThat(j.get("index").asLong()).isEqualTo(liftsOfA.get(i));
      assertThat(j.get("outcome").asText()).isEqualTo("emptied");
      assertThat(j.get("exception").isNull()).isTrue();
      assertThat(j.get("net").decimalValue()).isEqualByComparingTo("38.5");
      assertThat(j.get("unit").asText()).isEqualTo("kg");
      assertThat(j.get("flags").isArray()).isTrue();
      assertThat(Instant.parse(j.get("time").asText())).isNotNull();
    }
    JsonNode summary = l.get(l.size() - 1);
    assertThat(summary.get("bin").asText()).isEqualTo(BIN_A);
    assertThat(summary.get("lifts").asInt()).isEqualTo(4);
    assertThat(summary.get("index_rebuilds").asLong()).isZero();
  }

  @Test
  void lifts_upperCaseTag_sameBin() throws Exception {
    assertThat(lifts("--bin", BIN_B.toUpperCase())).isZero();
    assertThat(json().get(4).get("lifts").asInt()).isEqualTo(4);
  }

  @Test
  void lifts_unknownBin_exit0WithZeroLifts() throws Exception {
    assertThat(lifts("--bin", "00ff00ff")).isZero();
    List<JsonNode> l = json();
    assertThat(l).hasSize(1);
    assertThat(l.get(0).get("lifts").asInt()).isZero();
    assertThat(l.get(0).get("bin").asText()).isEqualTo("00ff00ff");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "zz11", "", "0x8000e1a5", "8000 e1a5"})
  void lifts_malformedTag_exit2NamingTheTag(String tag) throws Exception {
    assertThat(lifts("--bin", tag)).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("bin tag '" + tag + "' is not hex");
    assertThat(json()).isEmpty();
  }

  @Test
  void lifts_tagOver64Bytes_exit2() throws Exception {
    assertThat(lifts("--bin", "ab".repeat(65))).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("1 to 64 bytes");
  }

  @Test
  void lifts_malformedTime_exit2NamingTheOption() throws Exception {
    assertThat(lifts("--bin", BIN_A, "--from", "yesterday")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("--from 'yesterday' is not an ISO-8601 instant");
  }

  @Test
  void lifts_noSuchDataDir_exit2() throws Exception {
    int code =
        Main.run("chain", "lifts", "--data-dir", dir.resolve("nope").toString(), "--bin", BIN_A);
    assertThat(code).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("no such data dir");
  }

  @Test
  void lifts_timeWindow_onlyLiftsFromInclusiveToExclusive() throws Exception {
    assertThat(lifts("--bin", BIN_A)).isZero();
    List<JsonNode> all = json();
    Instant from = Instant.parse(all.get(1).get("time").asText());
    Instant to = Instant.parse(all.get(3).get("time").asText());
    List<Long> expected =
        all.subList(0, all.size() - 1).stream()
            .filter(
                j -> {
                  Instant t = Instant.parse(j.get("time").asText());
                  return !t.isBefore(from) && t.isBefore(to);
                })
            .map(j -> j.get("index").asLong())
            .toList();
    assertThat(lifts("--bin", BIN_A, "--from", from.toString(), "--to", to.toString())).isZero();
    List<JsonNode> window = json();
    assertThat(window.subList(0, window.size() - 1))
        .extracting(j -> j.get("index").asLong())
        .containsExactlyElementsOf(expected)
        .contains(liftsOfA.get(1))
        .doesNotContain(liftsOfA.get(3));
    JsonNode summary = window.get(window.size() - 1);
    assertThat(summary.get("lifts").asInt()).isEqualTo(expected.size());
    assertThat(summary.get("from").asText()).isEqualTo(from.toString());
    assertThat(summary.get("to").asText()).isEqualTo(to.toString());
  }

  @Test
  void lifts_mapdbFileTruncated_sameAnswerAndTheRebuildIsReported() throws Exception {
    assertThat(lifts("--bin", BIN_A)).isZero();
    List<JsonNode> before = json();
    try (RandomAccessFile f = new RandomAccessFile(DataDirLayout.binIndex(dir).toFile(), "rw")) {
      f.setLength(f.length() / 3);
    }
    assertThat(lifts("--bin", BIN_A)).as(err.toString()).isZero();
    List<JsonNode> after = json();
    assertThat(after.subList(0, after.size() - 1)).isEqualTo(before.subList(0, before.size() - 1));
    assertThat(after.get(after.size() - 1).get("index_rebuilds").asLong()).isEqualTo(1);
    assertThat(err.toString()).contains("bin index rebuilt from the log");
  }

  @Test
  void lifts_secondRun_indexReusedWithoutRebuild() throws Exception {
    assertThat(lifts("--bin", BIN_A)).isZero();
    List<JsonNode> first = json();
    assertThat(lifts("--bin", BIN_A)).isZero();
    assertThat(json()).isEqualTo(first);
    assertThat(err.toString()).doesNotContain("rebuilt");
  }
}
