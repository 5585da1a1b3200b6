package io.haulproof.agent.doctor;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.PortConfig;
import io.haulproof.agent.config.RfidConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every configured sensor is reachable: the scale's, each RFID reader's and an NMEA receiver's
 * serial port opens for reading and writing; gpsd accepts a connection; the smart-bin CoAP port is
 * noted.
 */
final class SensorCheck implements DoctorCheck {
  private final Duration timeout;

  SensorCheck(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public List<Finding> run(AgentConfig config) {
    List<Finding> out = new ArrayList<>();
    if (config.scale() != null) {
      out.add(port("scale (" + config.scale().protocol() + ")", config.scale().port()));
    }
    for (RfidConfig rfid : config.rfid()) {
      out.add(port("rfid " + rfid.lifter() + " (" + rfid.protocol() + ")", rfid.port()));
    }
    if (config.gps() != null) {
      if (config.gps().source().equals("nmea")) {
        out.add(port("gnss receiver", config.gps().port()));
      } else {
        out.add(gpsd(Endpoint.ofHostPort(config.gps().gpsd())));
      }
    }
    if (out.isEmpty()) {
      out.add(
          Finding.ok(
              "sensors", "none attached to this gateway (it receives smart-bin readings only)"));
    }
    return out;
  }

  private Finding port(String subject, PortConfig port) {
    String problem = PortProbe.openProblem(Path.of(port.path()), timeout);
    return problem.isEmpty()
        ? Finding.ok(subject, port.path() + " opens (" + port.baud() + " baud configured)")
        : Finding.fail(subject, problem);
  }

  private Finding gpsd(Endpoint gpsd) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(gpsd.host(), gpsd.port()), (int) timeout.toMillis());
      return Finding.ok("gpsd", gpsd + " accepts connections");
    } catch (IOException e) {
      return Finding.fail(
          "gpsd", gpsd + " does not answer: " + e.getMessage() + " (systemctl status gpsd)");
    }
  }
}
