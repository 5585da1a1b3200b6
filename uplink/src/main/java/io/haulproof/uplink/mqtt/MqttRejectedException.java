package io.haulproof.uplink.mqtt;

/**
 * The broker answered with an MQTT 5 error reason code (≥ 0x80), for example 0x87 not authorized.
 */
public final class MqttRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int reasonCode;

  public MqttRejectedException(String what, int reasonCode) {
    super(
        what
            + " rejected by broker with reason code 0x"
            + Integer.toHexString(reasonCode)
            + ", want < 0x80");
    this.reasonCode = reasonCode;
  }

  public int reasonCode() {
    return reasonCode;
  }
}
