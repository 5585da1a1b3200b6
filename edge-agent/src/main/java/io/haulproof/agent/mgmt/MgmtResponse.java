package io.haulproof.agent.mgmt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.haulproof.lightchain.bytes.Bytes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer published on {@code mgmt/res}: UTF-8 JSON {@code
 * {"device","op","version","status":"ok"|"rejected", "reason","detail","result"}}; {@code reason}
 * and {@code detail} only on rejection, {@code result} only on success.
 */
public record MgmtResponse(
    String device,
    String op,
    long version,
    RejectReason reason,
    String detail,
    Map<String, Object> result) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  public MgmtResponse {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(op, "op");
    result = result == null ? Map.of() : result;
  }

  public static MgmtResponse ok(VerifiedRequest req, Map<String, Object> result) {
    return new MgmtResponse(
        req.request().target().device(),
        req.op().wire(),
        req.request().version(),
        null,
        null,
        result);
  }

  public static MgmtResponse rejected(String device, String op, long version, MgmtException e) {
    return new MgmtResponse(device, op, version, e.reason(), e.getMessage(), null);
  }

  public boolean ok() {
    return reason == null;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device", device);
    m.put("op", op);
    m.put("version", version);
    m.put("status", ok() ? "ok" : "rejected");
    if (!ok()) {
      m.put("reason", reason.name());
      m.put("detail", detail);
    } else {
      m.put("result", result);
    }
    return m;
  }

  public Bytes toJson() {
    try {
      return Bytes.wrap(JSON.writeValueAsBytes(toMap()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "response result holds a value Jackson cannot write: " + e.getMessage(), e);
    }
  }
}
