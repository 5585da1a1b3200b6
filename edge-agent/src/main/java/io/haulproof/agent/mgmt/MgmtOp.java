package io.haulproof.agent.mgmt;

import java.util.Optional;

/**
 * The management operations, with the names used on the wire and by {@code haulproof provision mgmt
 * --op}.
 */
public enum MgmtOp {
  CONFIG("config"),
  CALIBRATE("calibrate"),
  ROTATE_KEY("rotate-key"),
  REVOKE("revoke"),
  INVENTORY("inventory"),
  LOGS("logs"),
  REBOOT("reboot");

  private final String wire;

  MgmtOp(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<MgmtOp> fromWire(String name) {
    for (MgmtOp op : values()) {
      if (op.wire.equals(name)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
