package io.haulproof.agent.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.lightchain.testing.FileModes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code haulproof provision} without a broker: files, permissions, JSON output and exit codes. */
class ProvisionCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void initCa_newDir_keysOwnerOnlyJsonOutputNoSecrets() throws Exception {
    // when
    CliRun run =
        CliRun.of(
            "provision", "init-ca", "--ca-dir", dir.resolve("ca").toString(), "--fleet", "acme");

    // then
    assertThat(run.exit()).isZero();
    assertThat(run.lines()).hasSize(1);
    Map<?, ?> out = JSON.readValue(run.last(), Map.class);
    assertThat(out.get("fleet")).isEqualTo("acme");
    assertThat((String) out.get("root_sha256")).hasSize(64);
    assertThat(FileModes.of(dir.resolve("ca/root.key"))).isEqualTo("rw-------");
    assertThat(FileModes.of(dir.resolve("ca/operators/default/operator.key")))
        .isEqualTo("rw-------");
    assertThat(FileModes.of(dir.resolve("ca"))).isEqualTo("rwx------");
    assertThat(run.lines().get(0) + run.stderr()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void initCa_twice_usageErrorRootKeptUnchanged() throws Exception {
    CliRun.of("provision", "init-ca", "--ca-dir", dir.toString());
    byte[] root = Files.readAllBytes(dir.resolve("root.key"));

    CliRun again = CliRun.of("provision", "init-ca", "--ca-dir", dir.toString());

    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.stderr()).contains("refusing to overwrite");
    assertThat(Files.readAllBytes(dir.resolve("root.key"))).isEqualTo(root);
  }

  @Test
  void issueOperator_named_ownDirectoryAndKid() throws Exception {
    CliRun.of("provision", "init-ca", "--ca-dir", dir.toString(), "--fleet", "acme");

    CliRun run =
        CliRun.of("provision", "issue-operator", "--ca-dir", dir.toString(), "--name", "alice");

    assertThat(run.exit()).isZero();
    Map<?, ?> out = JSON.readValue(run.last(), Map.class);
    assertThat((String) out.get("kid")).hasSize(32);
    assertThat(FileModes.of(dir.resolve("operators/alice/operator.key"))).isEqualTo("rw-------");
    assertThat(
            CliRun.of(
                    "provision", "issue-operator", "--ca-dir", dir.toString(), "--name", "bad/name")
                .exit())
        .isEqualTo(2);
  }

  @Test
  void claim_newDevice_printsLabelCodeFileHoldsOnlyDerivedKey() throws Exception {
    CliRun run =
        CliRun.of(
            "provision", "claim", "--device", "truck-7", "--out", dir.resolve("claim").toString());

    assertThat(run.exit()).isZero();
    String code = (String) JSON.readValue(run.last(), Map.class).get("claim");
    assertThat(code).matches("[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}");
    assertThat(Files.readString(dir.resolve("claim")))
        .doesNotContain(code)
        .contains("salt=")
        .contains("key=");
    assertThat(FileModes.of(dir.resolve("claim"))).isEqualTo("rw-------");
  }

  @Test
  void mgmt_badOptions_usageErrors() throws Exception {
    CliRun.of("provision", "init-ca", "--ca-dir", dir.toString(), "--fleet", "acme");
    String ca = dir.toString();

    assertThat(CliRun.mgmt("truck-7", "format", "tcp://127.0.0.1:1", ca).exit()).isEqualTo(2);
    assertThat(CliRun.mgmt("truck-7", "config", "tcp://127.0.0.1:1", ca).exit()).isEqualTo(2);
    assertThat(CliRun.mgmt("truck-7", "config", "tcp://127.0.0.1:1", ca, "--set", "novalue").exit())
        .isEqualTo(2);
    assertThat(CliRun.mgmt("truck-7", "inventory", "http://x:1", ca).exit()).isEqualTo(2);
    assertThat(
            CliRun.mgmt(
                    "truck-7", "inventory", "tcp://127.0.0.1:1", dir.resolve("missing").toString())
                .stderr())
        .contains("init-ca");
    assertThat(CliRun.enroll("truck-7", "short", "tcp://127.0.0.1:1", ca).exit()).isEqualTo(2);
    assertThat(CliRun.of("provision").exit()).isEqualTo(2);
  }
}
