package io.haulproof.agent.config;

import java.util.List;

/**
 * Register map of a Modbus RTU weighing indicator; vendors differ, so every part of it is
 * configurable.
 *
 * @param unitId slave address
 * @param weightRegister first holding register of the weight
 * @param type {@code int32} or {@code float32}
 * @param wordOrder {@code big} (high word first) or {@code little}
 * @param decimals decimal places of an int32 weight
 * @param statusRegister holding register with the stability bit
 * @param stableBit bit number (0–15) set when the weight is stable
 * @param pollMs polling period
 */
public record ModbusConfig(
    Integer unitId,
    Integer weightRegister,
    String type,
    String wordOrder,
    Integer decimals,
    Integer statusRegister,
    Integer stableBit,
    Integer pollMs) {
  public ModbusConfig {
    unitId = Check.range("unitId", unitId, 1, 1, 247);
    weightRegister = Check.range("weightRegister", weightRegister, 0, 0, 65_534);
    type = Check.oneOf("type", type, "int32", List.of("int32", "float32"));
    wordOrder = Check.oneOf("wordOrder", wordOrder, "big", List.of("big", "little"));
    decimals = Check.range("decimals", decimals, 0, 0, 6);
    statusRegister = Check.range("statusRegister", statusRegister, 2, 0, 65_535);
    stableBit = Check.range("stableBit", stableBit, 0, 0, 15);
    pollMs = Check.range("pollMs", pollMs, 100, 20, 10_000);
  }
}
