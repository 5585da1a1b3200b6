package io.haulproof.agent.fuzz;

import io.haulproof.agent.mgmt.ManagementService;
import io.haulproof.agent.mgmt.MgmtFixture;
import io.haulproof.agent.mgmt.MgmtOp;
import io.haulproof.agent.mgmt.MgmtRequest;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.fuzz.Allocation;
import io.haulproof.lightchain.fuzz.FuzzFiles;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz targets for signed management requests, as the agent receives them over MQTT: the request
 * payload decoder, and the whole handler ({@link ManagementService#handle}) on an enrolled device.
 */
final class ManagementTargets {
  private static MgmtFixture fixture;

  private ManagementTargets() {}

  static List<FuzzTarget> all() {
    return List.of(
        new FuzzTarget("MgmtRequestDecode", ManagementTargets::decode, ManagementTargets::payloads),
        new FuzzTarget("MgmtHandle", ManagementTargets::handle, ManagementTargets::handleSeeds));
  }

  /** One enrolled device, CA and operator per process (key generation is slow). */
  static synchronized MgmtFixture fixture() {
    if (fixture == null) {
      try {
        Path dir = FuzzFiles.tempDir("hp-fuzz-mgmt");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        fixture = new MgmtFixture(dir, true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return fixture;
  }

  static void decode(byte[] data) throws Exception {
    Allocation.atMost(64 * 1024, 96, data.length, () -> decodeOnce(data));
  }

  private static void decodeOnce(byte[] data) {
    MgmtRequest r;
    try {
      r = MgmtRequest.decode(Bytes.wrap(data));
    } catch (CborException e) {
      return;
    }
    if (!r.encode().equals(Bytes.wrap(data))) {
      throw new AssertionError("request does not re-encode to itself: " + Bytes.wrap(data));
    }
  }

  /**
   * Input: a mode byte, then bytes. Mode bit 0: the bytes are a request payload that the fleet's
   * operator signs here (so that fuzzed requests get past the signature; one that does not decode
   * is sent as it is), else they are the message as received. A fresh service state per input.
   * Properties: {@code handle} never throws; a request is accepted only if the operator signed it
   * for this device; the same bytes a second time are refused.
   */
  static void handle(byte[] data) throws Exception {
    MgmtFixture f = fixture();
    boolean sign = data.length > 0 && (data[0] & 1) == 1;
    Bytes rest =
        Bytes.wrap(data.length > 0 ? java.util.Arrays.copyOfRange(data, 1, data.length) : data);
    MgmtRequest decoded = null;
    Bytes wire = rest;
    if (sign) {
      try {
        decoded = MgmtRequest.decode(rest);
        wire = f.signer().sign(decoded);
      } catch (CborException e) {
        decoded = null;
      }
    }
    Path state = FuzzFiles.tempDir("hp-fuzz-mgmt-state");
    try {
      ManagementService service =
          ManagementService.open(state, f.identity, f.hooks, f.clock, f.meters);
      ManagementService.Handled first = service.handle(wire);
      if (first.response().ok()) {
        if (decoded == null || !decoded.target().equals(f.ref)) {
          throw new AssertionError("accepted a request the operator did not sign for this device");
        }
        if (service.handle(wire).response().ok()) {
          throw new AssertionError("the same request was accepted twice");
        }
      }
    } finally {
      FuzzFiles.deleteTree(state);
    }
  }

  private static List<byte[]> payloads() throws IOException {
    MgmtFixture f = fixture();
    List<byte[]> out = new ArrayList<>();
    out.add(payload(f.request(MgmtOp.CONFIG, MgmtFixture.texts("a.b", "1", "c.d", "two"))));
    out.add(payload(f.request(MgmtOp.INVENTORY, MgmtFixture.texts())));
    out.add(payload(f.request(MgmtOp.CALIBRATE, MgmtFixture.texts("zero", "12", "span", "1.02"))));
    return out;
  }

  private static List<byte[]> handleSeeds() throws IOException {
    MgmtFixture f = fixture();
    List<byte[]> out = new ArrayList<>();
    for (byte[] p : payloads()) {
      out.add(prefixed(1, p));
    }
    out.add(prefixed(0, f.request(MgmtOp.INVENTORY, MgmtFixture.texts()).toByteArray()));
    return out;
  }

  private static byte[] payload(Bytes signed) {
    return CoseSign1.decode(signed).payload().toByteArray();
  }

  static byte[] prefixed(int first, byte[] rest) {
    byte[] b = new byte[rest.length + 1];
    b[0] = (byte) first;
    System.arraycopy(rest, 0, b, 1, rest.length);
    return b;
  }

  private static void deleteQuietly(Path dir) {
    try {
      FuzzFiles.deleteTree(dir);
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
