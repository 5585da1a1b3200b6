package io.haulproof.agent.provision.tool;

import io.haulproof.agent.mgmt.MgmtOp;
import io.haulproof.agent.mgmt.RequestSigner;
import io.haulproof.agent.mgmt.mqtt.MqttTechnicianClient;
import io.haulproof.agent.provision.ClaimCode;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.EnrollResponse;
import io.haulproof.agent.provision.EnrollmentDesk;
import io.haulproof.agent.provision.EnrollmentException;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.lightchain.bytes.Bytes;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code haulproof provision enroll}: the technician's side of claim-code enrollment over the
 * truck's local broker.
 *
 * <p>Waits for the device's retained {@code enroll/req}, checks its signature, CSR and claim MAC,
 * issues the certificate, answers on {@code enroll/res} with the chain, the CRL and (with {@code
 * --set}) a signed initial configuration, then prints the device's answer from {@code mgmt/res}.
 * Needs no central network.
 */
@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    description = "Enroll a device with its label claim code.")
public final class EnrollCommand implements Callable<Integer> {
  @Option(names = "--device", required = true, description = "Device id, as on the label.")
  String device;

  @Option(names = "--claim", required = true, description = "Claim code from the device label.")
  String claim;

  @Option(names = "--set", description = "Initial configuration key=value (repeatable).")
  List<String> sets = List.of();

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "Seconds to wait for the device (default 120).")
  long timeoutSeconds;

  @Mixin BrokerOptions broker;

  @Mixin CaOptions ca;

  @Override
  public Integer call() throws Exception {
    ClaimCode code;
    try {
      code = ClaimCode.parse(claim);
    } catch (IllegalArgumentException e) {
      System.err.println("haulproof provision enroll: " + e.getMessage());
      return 2;
    }
    FleetCa fleetCa = ca.ca();
    DeviceRef ref = new DeviceRef(fleetCa.fleet(), device);
    Map<String, io.haulproof.lightchain.cbor.CborValue> params = MgmtCommand.parseSets(sets);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    try (MqttTechnicianClient client =
        MqttTechnicianClient.connect(
            broker.settings(MgmtCommand.clientId()),
            List.of(ref.topic("mgmt/res"), ref.topic("enroll/req")),
            MgmtCommand.CONNECT_TIMEOUT)) {
      System.err.println("waiting for " + ref.topic("enroll/req") + " ...");
      Optional<MqttTechnicianClient.Received> req =
          client.await(ref.topic("enroll/req"), timeout, r -> true);
      if (req.isEmpty()) {
        System.err.println(
            "haulproof provision enroll: no enrollment request from "
                + ref
                + " within "
                + timeoutSeconds
                + " s");
        return 1;
      }
      EnrollmentDesk desk = new EnrollmentDesk(fleetCa, Clock.systemUTC());
      EnrollmentDesk.Checked checked;
      try {
        checked = desk.check(req.get().payload(), device, code);
      } catch (EnrollmentException e) {
        System.err.println("haulproof provision enroll: request refused: " + e.getMessage());
        return 1;
      }
      Optional<Bytes> initial = Optional.empty();
      if (!params.isEmpty()) {
        initial =
            Optional.of(
                new RequestSigner(ca.operator(), Clock.systemUTC())
                    .sign(MgmtOp.CONFIG, ref, params, Duration.ofDays(1)));
      }
      EnrollResponse res = desk.issue(checked, initial);
      client.publish(ref.topic("enroll/res"), res.encode());
      Optional<MqttTechnicianClient.Received> answer =
          client.await(ref.topic("mgmt/res"), timeout, r -> MgmtCommand.opOf(r).equals("enroll"));
      if (answer.isEmpty()) {
        System.err.println(
            "haulproof provision enroll: certificate sent, but no answer from "
                + ref
                + " within "
                + timeoutSeconds
                + " s");
        return 1;
      }
      JsonOut.printRaw(answer.get().payload().toByteArray());
      Map<?, ?> reply = JsonOut.parse(answer.get().payload().toByteArray());
      Map<?, ?> result = reply.get("result") instanceof Map<?, ?> r ? r : Map.of();
      boolean enrolled =
          "ok".equals(reply.get("status")) && Boolean.TRUE.equals(result.get("enrolled"));
      Object config = result.get("config");
      boolean configOk =
          config == null || (config instanceof Map<?, ?> c && "ok".equals(c.get("status")));
      if (enrolled && !configOk) {
        System.err.println(
            "haulproof provision enroll: enrolled, but the device refused the initial configuration: "
                + ((Map<?, ?>) config).get("reason")
                + " "
                + ((Map<?, ?>) config).get("detail"));
      }
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("enrolled", enrolled);
      summary.put("configured", enrolled && config != null && configOk);
      summary.put("device", device);
      summary.put("firmware", checked.request().firmware());
      summary.put("kid", io.haulproof.lightchain.crypto.Kid.of(checked.key()).toHex());
      JsonOut.print(summary);
      boolean ok = enrolled && configOk;
      return ok ? 0 : 1;
    }
  }
}
