package io.haulproof.drivers.scale;

/** A Modbus exception response (function | 0x80, exception code), e.g. 2 illegal data address. */
public final class ModbusException extends Exception {
  private final int code;

  public ModbusException(int function, int code) {
    super(String.format("Modbus exception %d for function %02x", code, function));
    this.code = code;
  }

  public int code() {
    return code;
  }
}
