package io.haulproof.agent.runtime;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.NativeLongByReference;
import io.haulproof.agent.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a PKCS#11 token by its label. The JDK's SunPKCS11 selects tokens only by slot, so this asks
 * the module directly (C_Initialize, C_GetSlotList, C_GetTokenInfo, C_Finalize over JNA) before any
 * provider loads it, and returns the slot's position in the module's slot list, which is what
 * SunPKCS11's {@code slotListIndex} means (it lists all slots, {@code tokenPresent = FALSE}).
 */
public final class Pkcs11Slots {
  private static final int CKR_OK = 0;
  private static final int CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;
  private static final int LABEL_LENGTH = 32;

  private Pkcs11Slots() {}

  /**
   * The slot list index of the token labelled {@code label} in {@code module}.
   *
   * @throws ConfigException naming {@code keystore.tokenLabel} when no token has that label (the
   *     message lists the labels found), or {@code keystore.module} when the module cannot be used
   */
  public static int indexOfLabel(Path module, String label) {
    NativeLibrary lib;
    try {
      lib = NativeLibrary.getInstance(module.toString());
    } catch (UnsatisfiedLinkError e) {
      throw new ConfigException("keystore.module", "cannot load " + module + ": " + e.getMessage());
    }
    int rv = lib.getFunction("C_Initialize").invokeInt(new Object[] {null});
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      throw new ConfigException(
          "keystore.module", module + ": C_Initialize failed, CKR 0x" + hex(rv));
    }
    try {
      Function getSlotList = lib.getFunction("C_GetSlotList");
      NativeLongByReference count = new NativeLongByReference();
      check(module, "C_GetSlotList", getSlotList.invokeInt(new Object[] {(byte) 0, null, count}));
      int n = count.getValue().intValue();
      List<String> seen = new ArrayList<>();
      if (n > 0) {
        Memory slots = new Memory((long) n * NativeLong.SIZE);
        check(
            module, "C_GetSlotList", getSlotList.invokeInt(new Object[] {(byte) 0, slots, count}));
        Function getTokenInfo = lib.getFunction("C_GetTokenInfo");
        for (int i = 0; i < count.getValue().intValue(); i++) {
          NativeLong slot = slots.getNativeLong((long) i * NativeLong.SIZE);
          Memory info = new Memory(1024); // CK_TOKEN_INFO is ~210 bytes; label is its first field
          if (getTokenInfo.invokeInt(new Object[] {slot, info}) != CKR_OK) {
            continue; // no token in this slot
          }
          String found =
              new String(info.getByteArray(0, LABEL_LENGTH), StandardCharsets.UTF_8)
                  .stripTrailing();
          if (found.equals(label)) {
            return i;
          }
          seen.add(found);
        }
      }
      throw new ConfigException(
          "keystore.tokenLabel",
          "no token labelled '" + label + "' in " + module + ", found " + seen);
    } finally {
      if (rv == CKR_OK) {
        lib.getFunction("C_Finalize").invokeInt(new Object[] {null});
      }
    }
  }

  private static void check(Path module, String call, int rv) {
    if (rv != CKR_OK) {
      throw new ConfigException(
          "keystore.module", module + ": " + call + " failed, CKR 0x" + hex(rv));
    }
  }

  private static String hex(int rv) {
    return Integer.toHexString(rv);
  }
}
