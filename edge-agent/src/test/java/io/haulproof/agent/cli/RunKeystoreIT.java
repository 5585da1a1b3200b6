package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.lightchain.testing.ChildProcesses;
import io.haulproof.uplink.testing.EventLoopGuard;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haulproof run}'s {@code keystore} section as a real process: a PKCS#11 token selected by
 * label with its PIN from a systemd credential, on a SoftHSM2 token this test creates; and the
 * passphrase rule (no credential, no start, nothing written in clear).
 */
@Timeout(300)
class RunKeystoreIT {
  private static final Path JAR = Path.of("target/haulproof.jar");
  private static final Path SOFTHSM = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  private static final String PIN = "8642-run";

  @TempDir Path dir;
  private final ChildProcesses children = new ChildProcesses(Duration.ofSeconds(20));

  @AfterEach
  void tearDown() throws Exception {
    children.close();
  }

  @Test
  void run_pkcs11TokenByLabelPinFromCredential_readyAndSameTokenKeyAfterRestart() throws Exception {
    // given a SoftHSM2 token labelled "truck-hsm" (behind another token in slot 0) and the PIN as
    // the systemd credential haulproof-key-pin
    Path conf = softhsm();
    initToken(conf, "other-token", "1111");
    initToken(conf, "truck-hsm", PIN);
    Path creds = Files.createDirectories(dir.resolve("creds"));
    Files.writeString(creds.resolve("haulproof-key-pin"), PIN + "\n");
    String yaml =
        base("truck-hsm-1")
            + "keystore: { type: pkcs11, module: \"%s\", tokenLabel: truck-hsm }\n"
                .formatted(SOFTHSM);
    Map<String, String> env =
        Map.of("SOFTHSM2_CONF", conf.toString(), "CREDENTIALS_DIRECTORY", creds.toString());

    // when started twice
    String first = runUntilReady(yaml, env);
    Path pub = dir.resolve("data/keys/device.pub.pem");
    String firstPem = Files.readString(pub);
    String second = runUntilReady(yaml, env);

    // then
    assertThat(first).contains("\"state\":\"ready\"");
    assertThat(second).contains("\"state\":\"ready\"");
    assertThat(Files.readString(pub)).isEqualTo(firstPem);
    assertThat(dir.resolve("data/keys/device.p8")).doesNotExist();
    assertThat(clearSecretsUnder(dir.resolve("data"))).isEmpty();
  }

  @Test
  void run_pkcs11UnknownTokenLabel_exitsTwoNamingTheSettingAndTheLabelsFound() throws Exception {
    // given
    Path conf = softhsm();
    initToken(conf, "truck-hsm", PIN);
    Files.writeString(dir.resolve("pin"), PIN);
    Files.setPosixFilePermissions(dir.resolve("pin"), PosixFilePermissions.fromString("rw-------"));
    String yaml =
        base("truck-hsm-2")
            + "keystore: { type: pkcs11, module: \"%s\", tokenLabel: no-such-token, pinFile: \"%s\" }\n"
                .formatted(SOFTHSM, dir.resolve("pin"));
    // when
    Result r = runToExit(yaml, Map.of("SOFTHSM2_CONF", conf.toString()));
    // then
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("keystore.tokenLabel").contains("truck-hsm");
  }

  @Test
  void run_fileKeystoreWithoutAnyCredential_exitsTwoNamingTheSettingAndWritesNoPassphrase()
      throws Exception {
    // given no credential, no environment variable, no passphraseFile
    String yaml = base("truck-nopass");
    // when
    Result r = runToExit(yaml, Map.of());
    // then
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("keystore.passphraseFile").contains("haulproof-key-pass");
    assertThat(clearSecretsUnder(dir.resolve("data"))).isEmpty();
    assertThat(dir.resolve("data/keys/device.p8")).doesNotExist();
  }

  @Test
  void run_fileKeystorePassphraseFromSystemdCredential_readyAndKeyEncrypted() throws Exception {
    // given the passphrase as the credential haulproof-key-pass
    Path creds = Files.createDirectories(dir.resolve("creds"));
    Files.writeString(creds.resolve("haulproof-key-pass"), "correct horse battery staple\n");
    // when
    String ready =
        runUntilReady(base("truck-cred"), Map.of("CREDENTIALS_DIRECTORY", creds.toString()));
    // then
    assertThat(ready).contains("\"state\":\"ready\"");
    assertThat(dir.resolve("data/keys/device.p8")).exists();
    assertThat(Files.readString(dir.resolve("data/keys/device.p8")))
        .contains("ENCRYPTED PRIVATE KEY");
    assertThat(clearSecretsUnder(dir.resolve("data"))).isEmpty();
  }

  private record Result(int exit, String stderr) {}

  private String base(String device) {
    return """
        device: { id: %s, fleet: it-fleet, dataDir: "%s" }
        rfid:
          - { protocol: fdxb-uart, port: { path: /dev/null }, side: REAR_COMB }
        bins: { enforce: false }
        http: { port: 0 }
        """
        .formatted(device, dir.resolve("data"));
  }

  private ProcessBuilder agent(String yaml, Map<String, String> env) throws Exception {
    Files.writeString(dir.resolve("agent.yaml"), yaml);
    ProcessBuilder pb =
        new ProcessBuilder(
                "java",
                "-Xmx64m",
                EventLoopGuard.jvmArg(),
                "-jar",
                JAR.toString(),
                "run",
                "--config",
                dir.resolve("agent.yaml").toString())
            .redirectError(dir.resolve("agent.err").toFile());
    pb.environment().remove("CREDENTIALS_DIRECTORY");
    pb.environment().remove("HAULPROOF_KEY_PASSPHRASE");
    pb.environment().putAll(env);
    return pb;
  }

  /** Starts the agent, waits for its ready line, stops it with SIGTERM; returns the ready line. */
  private String runUntilReady(String yaml, Map<String, String> env) throws Exception {
    Process p = children.add(agent(yaml, env).start());
    String line =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertThat(line).as(Files.readString(dir.resolve("agent.err"))).isNotNull();
    JsonNode ready = new ObjectMapper().readTree(line);
    assertThat(ready.get("state").asText()).isEqualTo("ready");
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    EventLoopGuard.assertNotBlocked("haulproof run", Files.readString(dir.resolve("agent.err")));
    return line;
  }

  private Result runToExit(String yaml, Map<String, String> env) throws Exception {
    Process p =
        children.add(agent(yaml, env).redirectOutput(dir.resolve("agent.out").toFile()).start());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), Files.readString(dir.resolve("agent.err")));
  }

  private Path softhsm() throws Exception {
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    Path conf = dir.resolve("softhsm2.conf");
    Files.writeString(
        conf,
        "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    return conf;
  }

  private static void initToken(Path conf, String label, String pin) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                label,
                "--so-pin",
                "1234-so",
                "--pin",
                pin)
            .redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("has been initialized");
  }

  /** Files named like a clear passphrase or PIN under {@code root}. */
  private static List<Path> clearSecretsUnder(Path root) throws Exception {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(
              f -> {
                String n = f.getFileName().toString();
                return n.equals("passphrase") || n.contains("pin") || n.contains("key-pass");
              })
          .toList();
    }
  }
}
