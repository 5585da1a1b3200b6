package io.haulproof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  private static final String MINIMAL =
      """
      device: { id: t1, fleet: f1 }
      rfid:
        - { protocol: fdxb-uart, port: { path: /dev/ttyUSB1 }, side: REAR_COMB }
      bins:
        registered: [ { id: "bin-1" } ]
      """;

  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void parse_minimal_appliesDefaults() {
    // when
    AgentConfig c = loader.parse(MINIMAL);
    // then
    assertThat(c.device().dataDir()).isEqualTo("/var/lib/haulproof");
    assertThat(c.rfid().get(0).port().baud()).isEqualTo(9600);
    assertThat(c.rfid().get(0).lifter()).isEqualTo("rear-comb");
    assertThat(c.lift().tagWindowMs()).isEqualTo(20_000);
    assertThat(c.chain().checkpointIntervalMs()).isEqualTo(60_000);
    assertThat(c.http().bind()).isEqualTo("127.0.0.1");
    assertThat(c.uplink()).isNull();
  }

  @Test
  void parse_keystorePkcs11ByLabel_pinCredentialDefaulted() {
    // when
    AgentConfig c =
        loader.parse(
            MINIMAL
                + "keystore: { type: pkcs11, module: /usr/lib/softhsm/libsofthsm2.so,"
                + " tokenLabel: truck }\n");
    // then
    assertThat(c.keystore().pkcs11()).isTrue();
    assertThat(c.keystore().pinCredential()).isEqualTo("haulproof-key-pin");
    assertThat(loader.parse(MINIMAL).keystore().type()).isEqualTo("file");
  }

  @Test
  void parse_nau7802Scale_adcDefaultsAndNoPort() {
    // when
    AgentConfig c =
        loader.parse(
            """
            device: { id: t1, fleet: f1 }
            scale:
              protocol: nau7802
              adc: { zero: 8412, span: 97.56 }
              interval: 0.5
              min: 10
              max: 500
              instrument: { approval: none, serial: N-1, calibrationDate: "2026-03-01" }
            """);
    // then
    assertThat(c.scale().isAdc()).isTrue();
    assertThat(c.scale().adc().bus()).isEqualTo(1);
    assertThat(c.scale().adc().address()).isEqualTo(0x2A);
    assertThat(c.scale().name()).isEqualTo("scale");
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nscale: { protocol: hx711, adc: { zero: 1, span: 2 },"
                + " interval: 0.5, min: 10, max: 500,"
                + " instrument: { approval: a, serial: s, calibrationDate: \"2026-03-01\" } }",
            "scale.adc: dataPin and clockPin are required for hx711"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nscale: { protocol: nau7802, adc: { zero: 1, span: 0 },"
                + " interval: 0.5, min: 10, max: 500,"
                + " instrument: { approval: a, serial: s, calibrationDate: \"2026-03-01\" } }",
            "scale.adc.span: must be a non-zero number"),
        Arguments.of(
            MINIMAL + "keystore: { type: pkcs11, module: /x.so }",
            "keystore.slot: or tokenLabel is required"),
        Arguments.of(
            MINIMAL + "keystore: { type: pkcs11, module: /x.so, slot: 0, tokenLabel: t }",
            "keystore.slot: or tokenLabel is required"),
        Arguments.of(
            MINIMAL + "keystore: { type: pkcs11, slot: 0 }", "keystore.module: is required"),
        Arguments.of(
            MINIMAL + "keystore: { pinFile: /p }", "keystore.pinFile: applies only to type pkcs11"),
        Arguments.of(MINIMAL + "keystore: { type: tpm }", "keystore.type: must be one of"),
        Arguments.of(
            MINIMAL + "management: { broker: \"ssl://truck.local:8883\", fleetRoot: /r.pem }",
            "management.tls: is required for ssl://"),
        Arguments.of(
            MINIMAL
                + "management: { broker: \"tcp://truck.local:1883\", fleetRoot: /r.pem,"
                + " tls: { ca: /ca.pem } }",
            "management.broker: is tcp:// but tls is set"),
        Arguments.of(
            MINIMAL
                + "management: { broker: \"tcp://127.0.0.1:1883\", fleetRoot: /r.pem,"
                + " username: agent }",
            "management.passwordFile: is required when username is set"),
        Arguments.of("device: { id: t1, fleet: f1, colour: red }", "device.colour: unknown key"),
        Arguments.of("device: { id: t1, fleet: f1 }\nscael: {}", "scael: unknown key"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nrfid: [ { protocol: fdxb-uart, port: { path: /dev/x, bad: 1 }, side: NONE } ]",
            "rfid[0].port.bad: unknown key"),
        Arguments.of("route: {}", "device: is required"),
        Arguments.of("device: { fleet: f1 }", "device.id: is required"),
        Arguments.of("device: { id: 't 1', fleet: f1 }", "device.id: must match"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nrfid: [ { protocol: fdxb-uart, port: { path: /dev/x, baud: 7 }, side: NONE } ]",
            "rfid[0].port.baud: must be between 1200 and 921600, got 7"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nrfid: [ { protocol: morse, port: { path: /dev/x }, side: NONE } ]",
            "rfid[0].protocol: must be one of"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nrfid: [ { protocol: fdxb-uart, port: { path: /dev/x } } ]",
            "rfid[0].side: is required"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nrfid: [ { protocol: fdxb-uart, port: { path: /dev/x }, side: UP } ]",
            "rfid[0].side: invalid value"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nrfid: [ { protocol: fdxb-uart, port: { path: dev/x }, side: NONE } ]",
            "rfid[0].port.path: must be an absolute device path"),
        Arguments.of("device: { id: t1, fleet: f1 }", "scale: or rfid or remote is required"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nrfid: [ { protocol: fdxb-uart, port: { path: /dev/x }, side: NONE } ]",
            "bins.registered: is empty while bins.enforce is true"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { nodesFile: /n }",
            "remote.coapPort: or coapsPort or mqttBroker is required"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { coapsPort: 5684, nodesFile: /n }",
            "remote.pskFile: is required with coapsPort"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { pskFile: /p, coapPort: 5683, nodesFile: /n }",
            "remote.coapsPort: is required with pskFile"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { coapPort: 5684, coapsPort: 5684, pskFile: /p, nodesFile: /n }",
            "remote.coapsPort: must differ from coapPort"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { mqttBroker: 'ssl://h:8883', nodesFile: /n }",
            "remote.mqttTls: is required for ssl://"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { mqttBroker: 'http://h:8883', nodesFile: /n }",
            "remote.mqttBroker: must be tcp://HOST:PORT or ssl://HOST:PORT, got 'http://h:8883'"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { mqttBroker: 'tcp://h', nodesFile: /n }",
            "remote.mqttBroker: must be tcp://HOST:PORT"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { coapPort: 5684, nodesFile: /n }\nuplink: { broker: 'ssl://h:8883' }",
            "uplink.tls: is required for ssl://"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { coapPort: 5684, nodesFile: /n }\nuplink: { broker: 'ftp://h' }",
            "uplink.broker: must be one of"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { coapPort: 5684, nodesFile: /n }\nlift: { timeZone: Mars/Olympus }",
            "lift.timeZone: is not a time zone id"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { coapPort: 5684, nodesFile: /n }\nlift: { fallbackTimeSource: GNSS }",
            "lift.fallbackTimeSource: must be one of [NTP, RTC], got GNSS"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { coapPort: 5684, nodesFile: /n }\nlift: { fallbackTimeSource: UNKNOWN }",
            "lift.fallbackTimeSource: must be one of [NTP, RTC], got UNKNOWN"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { coapPort: 5684, nodesFile: /n }\nlift: { tagWindowMs: 40000 }",
            "lift.cycleTimeoutMs: must be at least tagWindowMs 40000"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nrfid: [ { protocol: fdxb-uart, port: { path: /dev/x }, side: NONE } ]\nbins: { registered: [ { id: a }, { id: a } ] }",
            "bins.registered[1].id: duplicate bin id"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nrfid: [ { protocol: fdxb-uart, port: { path: /dev/x }, side: NONE } ]\nbins: { registered: [ { id: a, days: [MON, Funday] } ] }",
            "bins.registered[0].days: unknown day"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\nremote: { coapPort: 5684, nodesFile: /n }\nchain: { blockMaxEntries: 0 }",
            "chain.blockMaxEntries: must be between 1 and 100000, got 0"),
        Arguments.of("device: [1, 2]", "device: invalid value"),
        Arguments.of(
            "device: { id: t1, fleet: f1 }\ndevice: { id: t2, fleet: f1 }",
            "Duplicate field 'device'"),
        Arguments.of("'unterminated", "(yaml): not valid YAML"));
  }

  @ParameterizedTest
  @MethodSource("badConfigs")
  void parse_badConfig_namesKeyAndProblem(String yaml, String expected) {
    assertThatThrownBy(() -> loader.parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void parse_scaleRules_minMustBeBetweenIntervalAndMax() {
    String yaml =
        """
        device: { id: t1, fleet: f1 }
        scale:
          protocol: toledo
          port: { path: /dev/ttyUSB0 }
          interval: 0.5
          min: 600
          max: 500
          instrument: { approval: A, serial: S, calibrationDate: "2026-01-01" }
        """;
    assertThatThrownBy(() -> loader.parse(yaml))
        .hasMessageContaining(
            "scale.min: must be at least interval 0.5 and below max 500.0, got 600.0");
  }

  @Test
  void parse_modbusProtocolWithoutRegisterMap_isRejected() {
    String yaml =
        """
        device: { id: t1, fleet: f1 }
        scale:
          protocol: modbus
          port: { path: /dev/ttyUSB0 }
          interval: 1
          min: 10
          max: 500
          instrument: { approval: A, serial: S, calibrationDate: "2026-01-01" }
        """;
    assertThatThrownBy(() -> loader.parse(yaml))
        .hasMessageContaining("scale.modbus: is required when protocol is modbus");
  }

  @Test
  void parse_badCalibrationDate_namesTheNestedKey() {
    String yaml =
        """
        device: { id: t1, fleet: f1 }
        scale:
          protocol: toledo
          port: { path: /dev/ttyUSB0 }
          interval: 1
          min: 10
          max: 500
          instrument: { approval: A, serial: S, calibrationDate: "1 March" }
        """;
    assertThatThrownBy(() -> loader.parse(yaml))
        .hasMessageContaining("scale.instrument.calibrationDate: must be an ISO date");
  }

  @Test
  void load_missingFile_namesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> loader.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yaml");
  }

  /** Mutated example files either load or fail with a ConfigException; nothing else escapes. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void parse_mutatedExample_onlyConfigExceptionEscapes(long seed) throws IOException {
    String base =
        Files.readString(
            Path.of(seed % 2 == 0 ? "config/rear-loader.yaml" : "config/side-loader-modbus.yaml"));
    Random rnd = new Random(seed);
    for (int round = 0; round < 40; round++) {
      char[] chars = base.toCharArray();
      int edits = 1 + rnd.nextInt(4);
      for (int e = 0; e < edits; e++) {
        int at = rnd.nextInt(chars.length);
        String alphabet = "x:-{}[]'\" 0123456789\n#,";
        chars[at] = alphabet.charAt(rnd.nextInt(alphabet.length()));
      }
      String mutated = new String(chars);
      try {
        loader.parse(mutated);
      } catch (ConfigException expected) {
        assertThat(expected.getMessage()).contains(": ");
      }
    }
  }
}
