package io.haulproof.drivers.remote.coap;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the CoAP receiver listens.
 *
 * @param coap plain CoAP address (UDP), or null for none (tests and trusted networks only)
 * @param coaps CoAP over DTLS 1.2 address, or null for none
 * @param pskKeys DTLS PSK identities and their keys
 * @param rpkServerKey the receiver's own key pair for raw-public-key DTLS (RFC 7250), or null for
 *     PSK only
 * @param trustedRpks the nodes' DTLS raw public keys to accept; empty accepts any (the COSE
 *     signature is what authenticates a reading, DTLS protects the channel)
 */
public record CoapReceiverOptions(
    InetSocketAddress coap,
    InetSocketAddress coaps,
    Map<String, byte[]> pskKeys,
    KeyPair rpkServerKey,
    List<PublicKey> trustedRpks) {
  public CoapReceiverOptions {
    if (coap == null && coaps == null) {
      throw new IllegalArgumentException("want a coap or a coaps address");
    }
    pskKeys = Map.copyOf(Objects.requireNonNull(pskKeys, "pskKeys"));
    trustedRpks = List.copyOf(Objects.requireNonNull(trustedRpks, "trustedRpks"));
    if (coaps != null && pskKeys.isEmpty() && rpkServerKey == null) {
      throw new IllegalArgumentException("coaps needs PSK keys or a raw public key");
    }
  }
}
