package io.haulproof.agent.provision.tool;

import io.haulproof.agent.mgmt.MgmtOp;
import io.haulproof.agent.mgmt.RequestSigner;
import io.haulproof.agent.mgmt.mqtt.MqttTechnicianClient;
import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.CsrChecks;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborText;
import io.haulproof.lightchain.cbor.CborValue;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code haulproof provision mgmt}: sends one signed management request over MQTT 5
 * request/response and prints the device's answer (one JSON line; for {@code rotate-key}, the begin
 * and the commit answers).
 *
 * <p>Exit 0 if the device answered "ok", 1 if it refused or did not answer, 2 on bad options.
 */
@Command(
    name = "mgmt",
    mixinStandardHelpOptions = true,
    description = "Send a signed management request to a device.")
public final class MgmtCommand implements Callable<Integer> {
  /** How long the tool tries to reach the broker before it gives up (exit 2). */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

  private static final SecureRandom RANDOM = new SecureRandom();
  private final String clientId = clientId();
  private String responseTopic;

  @Option(names = "--device", required = true, description = "Device id.")
  String device;

  @Option(
      names = "--op",
      required = true,
      description = "config, calibrate, rotate-key, revoke, inventory, logs or reboot.")
  String op;

  @Option(
      names = "--set",
      description =
          "key=value parameter (repeatable): config keys, or calibration values with scale=NAME.")
  List<String> sets = List.of();

  @Option(names = "--unset", description = "Config key to remove (repeatable).")
  List<String> unsets = List.of();

  @Option(names = "--rollback", description = "Config snapshot version to restore.")
  Long rollback;

  @Option(names = "--lines", description = "For logs: how many lines (1..500, default 100).")
  Integer lines;

  @Option(
      names = "--revoke-serial",
      description = "For revoke: certificate serial (hex) to revoke (repeatable).")
  List<String> revokeSerials = List.of();

  @Option(
      names = "--revoke-operator",
      description = "For revoke: revoke every certificate of this operator.")
  List<String> revokeOperators = List.of();

  @Option(
      names = "--revoke-device",
      description = "For revoke: revoke every certificate of this device.")
  List<String> revokeDevices = List.of();

  @Option(
      names = "--expires-in",
      defaultValue = "600",
      description = "Request lifetime in seconds (default 600).")
  long expiresIn;

  @Option(
      names = "--timeout",
      defaultValue = "60",
      description = "Seconds to wait for the answer (default 60).")
  long timeoutSeconds;

  @Mixin BrokerOptions broker;

  @Mixin CaOptions ca;

  @Override
  public Integer call() throws Exception {
    Optional<MgmtOp> parsed = MgmtOp.fromWire(op);
    if (parsed.isEmpty()) {
      System.err.println("haulproof provision mgmt: unknown --op " + op);
      return 2;
    }
    Map<String, CborValue> params;
    try {
      params = params(parsed.get());
    } catch (IllegalArgumentException e) {
      System.err.println("haulproof provision mgmt: " + e.getMessage());
      return 2;
    }
    FleetCa fleetCa = ca.ca();
    DeviceRef ref = new DeviceRef(fleetCa.fleet(), DeviceRef.requireName("device", device));
    RequestSigner signer = new RequestSigner(ca.operator(), Clock.systemUTC());
    Duration lifetime = Duration.ofSeconds(expiresIn);
    responseTopic = ref.topic("mgmt/res/" + clientId);
    try (MqttTechnicianClient client =
        MqttTechnicianClient.connect(
            broker.settings(clientId), List.of(responseTopic), CONNECT_TIMEOUT)) {
      if (parsed.get() == MgmtOp.REVOKE) {
        params.put("crl", new CborBytes(Certificates.der(revoke(fleetCa))));
      }
      if (parsed.get() != MgmtOp.ROTATE_KEY) {
        return send(client, ref, signer.sign(parsed.get(), ref, params, lifetime));
      }
      Map<String, CborValue> begin = new LinkedHashMap<>();
      begin.put("step", new CborText("begin"));
      Optional<MqttTechnicianClient.Received> answer =
          exchange(client, ref, signer.sign(MgmtOp.ROTATE_KEY, ref, begin, lifetime));
      if (answer.isEmpty()) {
        return 1;
      }
      JsonOut.printRaw(answer.get().payload().toByteArray());
      if (!statusOf(answer.get()).equals("ok")) {
        return 1;
      }
      Map<?, ?> result =
          (Map<?, ?>) JsonOut.parse(answer.get().payload().toByteArray()).get("result");
      Bytes csrDer = Bytes.fromHex((String) result.get("csr"));
      try {
        RotationProof.verify(
            fleetCa,
            ref,
            (String) result.get("old_kid"),
            csrDer,
            Bytes.fromHex((String) result.get("proof")));
      } catch (RuntimeException e) {
        // a bad proof means the answer did not come from the device we certified: issue nothing
        System.err.println(
            "haulproof provision mgmt: rotation proof refused, no certificate issued: "
                + e.getMessage());
        return 1;
      }
      X509Certificate cert = fleetCa.issueDevice(CsrChecks.parse(csrDer), device);
      Map<String, CborValue> commit = new LinkedHashMap<>();
      commit.put("step", new CborText("commit"));
      commit.put("cert", new CborBytes(Certificates.der(cert)));
      return send(client, ref, signer.sign(MgmtOp.ROTATE_KEY, ref, commit, lifetime));
    }
  }

  private int send(MqttTechnicianClient client, DeviceRef ref, Bytes request) throws Exception {
    Optional<MqttTechnicianClient.Received> answer = exchange(client, ref, request);
    if (answer.isEmpty()) {
      return 1;
    }
    JsonOut.printRaw(answer.get().payload().toByteArray());
    return statusOf(answer.get()).equals("ok") ? 0 : 1;
  }

  private Optional<MqttTechnicianClient.Received> exchange(
      MqttTechnicianClient client, DeviceRef ref, Bytes request) throws Exception {
    Optional<MqttTechnicianClient.Received> answer =
        client.request(
            ref.topic("mgmt/req"), request, responseTopic, Duration.ofSeconds(timeoutSeconds));
    if (answer.isEmpty()) {
      System.err.println(
          "haulproof provision mgmt: no answer from " + ref + " within " + timeoutSeconds + " s");
    }
    return answer;
  }

  private Map<String, CborValue> params(MgmtOp parsedOp) {
    Map<String, CborValue> p = parseSets(sets);
    if (!unsets.isEmpty()) {
      p.put("@unset", new CborText(String.join(",", unsets)));
    }
    if (rollback != null) {
      p.put("@rollback", new CborText(Long.toString(rollback)));
    }
    if (lines != null) {
      p.put("lines", new CborText(Integer.toString(lines)));
    }
    if (parsedOp == MgmtOp.CONFIG && p.isEmpty()) {
      throw new IllegalArgumentException("--op config needs --set, --unset or --rollback");
    }
    return p;
  }

  private java.security.cert.X509CRL revoke(FleetCa fleetCa) throws Exception {
    List<BigInteger> serials = new ArrayList<>();
    for (String s : revokeSerials) {
      serials.add(new BigInteger(s, 16));
    }
    for (String name : revokeOperators) {
      fleetCa.issued("operator-" + name + "-").forEach(c -> serials.add(c.getSerialNumber()));
    }
    for (String name : revokeDevices) {
      fleetCa.issued("device-" + name + "-").forEach(c -> serials.add(c.getSerialNumber()));
    }
    java.security.cert.X509CRL crl = fleetCa.currentCrl();
    for (BigInteger serial : serials) {
      crl = fleetCa.revoke(serial, FleetCa.REASON_KEY_COMPROMISE);
    }
    return crl;
  }

  static Map<String, CborValue> parseSets(List<String> sets) {
    Map<String, CborValue> p = new LinkedHashMap<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set " + s + ": want key=value");
      }
      p.put(s.substring(0, eq), new CborText(s.substring(eq + 1)));
    }
    return p;
  }

  static String clientId() {
    return "haulproof-tech-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
  }

  static String opOf(MqttTechnicianClient.Received r) {
    return field(r, "op");
  }

  static String statusOf(MqttTechnicianClient.Received r) {
    return field(r, "status");
  }

  private static String field(MqttTechnicianClient.Received r, String name) {
    try {
      Object v = JsonOut.parse(r.payload().toByteArray()).get(name);
      return v == null ? "" : v.toString();
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
