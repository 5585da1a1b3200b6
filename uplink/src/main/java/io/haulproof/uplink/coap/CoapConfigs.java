package io.haulproof.uplink.coap;

import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.config.DtlsConfig;

/**
 * The Californium configuration Haulproof uses on both sides: messages up to 1,024 bytes,
 * block-wise transfer (RFC 7959) with 1,024-byte blocks for anything larger, bodies up to 64 KiB,
 * DTLS Connection ID (RFC 9146) of 6 bytes so a bin that wakes with a new address keeps its
 * session.
 */
public final class CoapConfigs {
  static final int BLOCK = 1024;

  private CoapConfigs() {}

  public static Configuration standard() {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
    Configuration c = Configuration.createStandardWithoutFile();
    c.set(CoapConfig.MAX_MESSAGE_SIZE, BLOCK);
    c.set(CoapConfig.PREFERRED_BLOCK_SIZE, BLOCK);
    c.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 64 * 1024);
    c.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 6);
    return c;
  }
}
