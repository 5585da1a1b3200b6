package io.haulproof.drivers.scale;

import io.haulproof.drivers.reading.WeightUnit;
import java.util.Objects;

/**
 * Where a Modbus RTU indicator keeps its weight, since register maps differ by vendor.
 *
 * @param slave slave address 1–247
 * @param function 3 (holding registers) or 4 (input registers)
 * @param register first of the two 16-bit registers holding the weight (0-based protocol address)
 * @param wordOrder which register holds the high word
 * @param type signed 32-bit integer or IEEE-754 float
 * @param decimals for INT32: the value is {@code raw / 10^decimals}; ignored for FLOAT32
 * @param statusRegister register with the status bits, or -1 if the indicator has none
 * @param stableBit bit (0–15) in the status register that is 1 when stable
 * @param stableWhenSet false if the indicator sets the bit for motion instead
 */
public record ModbusWeightMap(
    int slave,
    int function,
    int register,
    WordOrder wordOrder,
    ValueType type,
    int decimals,
    int statusRegister,
    int stableBit,
    boolean stableWhenSet,
    WeightUnit unit) {
  /** Register word order of a 32-bit value. */
  public enum WordOrder {
    HIGH_WORD_FIRST,
    LOW_WORD_FIRST
  }

  /** Encoding of the weight. */
  public enum ValueType {
    INT32,
    FLOAT32
  }

  public ModbusWeightMap {
    if (slave < 1 || slave > 247) {
      throw new IllegalArgumentException("slave " + slave + " outside 1..247");
    }
    if (function != 3 && function != 4) {
      throw new IllegalArgumentException("function " + function + ", want 3 or 4");
    }
    if (register < 0 || register > 0xFFFE) {
      throw new IllegalArgumentException("register " + register + " outside 0..65534");
    }
    if (decimals < 0 || decimals > 6) {
      throw new IllegalArgumentException("decimals " + decimals + " outside 0..6");
    }
    if (statusRegister < -1 || statusRegister > 0xFFFF || stableBit < 0 || stableBit > 15) {
      throw new IllegalArgumentException(
          "status register " + statusRegister + " / bit " + stableBit + " invalid");
    }
    Objects.requireNonNull(wordOrder, "wordOrder");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(unit, "unit");
  }
}
