package io.haulproof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.agent.lift.LifterSide;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every example in {@code edge-agent/config/} loads and means what it says. */
class ConfigExamplesTest {
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void load_rearLoader_hasTolegoScaleFdxbReaderAndRegisteredBins() {
    // when
    AgentConfig c = loader.load(Path.of("config/rear-loader.yaml"));
    // then
    assertThat(c.device().id()).isEqualTo("truck-0042");
    assertThat(c.scale().protocol()).isEqualTo("toledo");
    assertThat(c.scale().interval()).isEqualTo(0.5);
    assertThat(c.rfid())
        .singleElement()
        .satisfies(r -> assertThat(r.side()).isEqualTo(LifterSide.REAR_COMB));
    assertThat(c.bins().registered()).hasSize(3);
    assertThat(c.bins().registered().get(2).collectionDays()).hasSize(7);
    assertThat(c.uplink().tls().hostnameVerification()).isTrue();
    assertThat(c.lift().zone().getId()).isEqualTo("Europe/Berlin");
    assertThat(c.hasLifter()).isTrue();
  }

  @Test
  void load_sideLoaderModbus_hasTwoReadersAndARegisterMap() {
    // when
    AgentConfig c = loader.load(Path.of("config/side-loader-modbus.yaml"));
    // then
    assertThat(c.scale().modbus().type()).isEqualTo("int32");
    assertThat(c.rfid()).extracting(RfidConfig::lifter).containsExactly("left-comb", "right-comb");
    assertThat(c.gps().gpsd()).isEqualTo("127.0.0.1:2947");
    assertThat(c.chain().blockMaxEntries()).isEqualTo(256);
  }

  @Test
  void load_depotGateway_hasNoLifterButRemoteReceivers() {
    // when
    AgentConfig c = loader.load(Path.of("config/depot-gateway.yaml"));
    // then
    assertThat(c.hasLifter()).isFalse();
    assertThat(c.remote().coapPort()).isEqualTo(5684);
    assertThat(c.device().vehicle()).isEqualTo("depot-hh-01");
    assertThat(c.http().bind()).isEqualTo("0.0.0.0");
  }
}
