package io.haulproof.agent.cli;

import io.haulproof.agent.runtime.PskFile;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.coap.CoapLedgerEndpoint;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code haulproof ledger}'s CoAP side for battery-powered smart bins (DESIGN.md: bins use CoAP
 * over DTLS): {@code --coaps-port} with {@code --psk-file} (one {@code DEVICE-ID HEXKEY} a line,
 * mode 0600; the PSK identity must equal the device in the request), and {@code --coap-port} for
 * plain CoAP on trusted networks and tests. Entries and checkpoints are verified by signature as on
 * MQTT.
 */
final class LedgerCoapOptions {
  @Option(
      names = "--coaps-port",
      description = "CoAP over DTLS (PSK) UDP port for smart bins (0 = any free port).")
  Integer coapsPort;

  @Option(
      names = "--psk-file",
      description = "DTLS pre-shared keys, DEVICE-ID HEXKEY a line, mode 0600 (with --coaps-port).")
  Path pskFile;

  @Option(
      names = "--coap-port",
      description = "Plain CoAP UDP port (trusted networks and tests only; 0 = any free port).")
  Integer coapPort;

  /** Checks the combination; returns a usage message or null. */
  String problem() {
    if ((coapsPort == null) != (pskFile == null)) {
      return "--coaps-port and --psk-file go together";
    }
    return null;
  }

  /** The endpoint on {@code ledger}, or null when no CoAP port is asked for. */
  CoapLedgerEndpoint start(Ledger ledger) {
    if (coapsPort == null && coapPort == null) {
      return null;
    }
    Map<String, byte[]> psk = pskFile == null ? Map.of() : PskFile.load(pskFile, "--psk-file");
    return new CoapLedgerEndpoint(
        ledger,
        coapsPort == null ? null : new InetSocketAddress(coapsPort),
        psk,
        coapPort == null ? null : new InetSocketAddress(coapPort));
  }
}
