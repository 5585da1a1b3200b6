package io.haulproof.agent.mgmt;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborInt;
import io.haulproof.lightchain.cbor.CborText;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.entry.ConfigBody;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code config} and {@code calibrate} operations: compute the new configuration, write it
 * atomically as a new snapshot, hand it to the runtime, log it as a {@code config} entry; on any
 * failure restore the previous snapshot.
 *
 * <p>Parameters of {@code config}: each {@code key → text value} sets a key; {@code @unset}
 * (comma-separated keys) removes keys; {@code @rollback} (a version number) restores that
 * snapshot's values as a new version. Parameters of {@code calibrate}: {@code scale} (its name) and
 * the calibration values (e.g. {@code zero}, {@code span}), stored as {@code
 * calibration.<scale>.<name>} together with the request time and the signer's subject, and logged
 * in section "calibration" (WELMEC 7.2 parameter audit trail).
 */
final class ConfigOps {
  private final ConfigStore store;
  private final AgentHooks hooks;

  ConfigOps(ConfigStore store, AgentHooks hooks) {
    this.store = store;
    this.hooks = hooks;
  }

  Map<String, Object> config(VerifiedRequest r) throws IOException {
    ConfigSnapshot prev = store.current();
    SortedMap<String, String> values = new TreeMap<>(prev.values());
    Optional<String> rollback = param(r, "@rollback");
    if (rollback.isPresent()) {
      if (r.request().params().size() != 1) {
        throw new MgmtException(RejectReason.BAD_PARAMS, "@rollback must be the only parameter");
      }
      long v = parseLong("@rollback", rollback.get());
      ConfigSnapshot old =
          store
              .snapshot(v)
              .orElseThrow(
                  () -> new MgmtException(RejectReason.BAD_PARAMS, "no snapshot of version " + v));
      values = new TreeMap<>(old.values());
    } else {
      for (Map.Entry<String, CborValue> e : r.request().params().entrySet()) {
        String k = e.getKey();
        if (k.equals("@unset")) {
          for (String u : text(k, e.getValue()).split(",")) {
            values.remove(key(u.trim()));
          }
        } else {
          String value = text(k, e.getValue());
          try {
            ConfigSnapshot.requireValue(key(k), value);
          } catch (IllegalArgumentException ex) {
            throw new MgmtException(RejectReason.BAD_PARAMS, ex.getMessage(), ex);
          }
          values.put(k, value);
        }
      }
      if (r.request().params().isEmpty()) {
        throw new MgmtException(RejectReason.BAD_PARAMS, "config request without parameters");
      }
    }
    ConfigSnapshot next = propose(values);
    apply(r, prev, next, "config", next.canonical(), Optional.of(prev.hash()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("config_version", next.version());
    out.put("previous_version", prev.version());
    out.put("config", next.values());
    java.util.List<String> restart = hooks.restartRequired(prev, next);
    if (!restart.isEmpty()) {
      out.put("restart_required", restart);
    }
    return out;
  }

  Map<String, Object> calibrate(VerifiedRequest r) throws IOException {
    String scale =
        param(r, "scale")
            .orElseThrow(() -> new MgmtException(RejectReason.BAD_PARAMS, "missing param scale"));
    key(scale);
    if (scale.contains(".")) {
      throw new MgmtException(
          RejectReason.BAD_PARAMS, "scale name \"" + scale + "\" must not contain a dot");
    }
    ConfigSnapshot prev = store.current();
    SortedMap<String, String> values = new TreeMap<>(prev.values());
    String prefix = "calibration." + scale + ".";
    values.keySet().removeIf(k -> k.startsWith(prefix));
    int n = 0;
    for (Map.Entry<String, CborValue> e : r.request().params().entrySet()) {
      if (e.getKey().equals("scale")) {
        continue;
      }
      String k = key(prefix + e.getKey());
      String value = text(e.getKey(), e.getValue());
      try {
        new java.math.BigDecimal(value);
      } catch (NumberFormatException ex) {
        throw new MgmtException(
            RejectReason.BAD_PARAMS,
            "calibration value " + e.getKey() + "=\"" + value + "\" is not a number");
      }
      values.put(k, value);
      n++;
    }
    if (n == 0) {
      throw new MgmtException(
          RejectReason.BAD_PARAMS, "calibrate request without calibration values");
    }
    values.put(prefix + "time", r.request().issued().toString());
    values.put(
        prefix + "by",
        r.signer().getSubjectX500Principal().getName().replaceAll("[\\p{Cntrl}]", "?"));
    ConfigSnapshot next = propose(values);
    SortedMap<String, String> before = prev.section("calibration.");
    Optional<Hash> prevHash =
        before.isEmpty()
            ? Optional.empty()
            : Optional.of(Hash.sha256(ConfigSnapshot.canonical(before)));
    apply(
        r,
        prev,
        next,
        "calibration",
        ConfigSnapshot.canonical(next.section("calibration.")),
        prevHash);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("config_version", next.version());
    out.put("calibration", next.section(prefix));
    return out;
  }

  private ConfigSnapshot propose(SortedMap<String, String> values) {
    try {
      return store.propose(values);
    } catch (IllegalArgumentException e) {
      throw new MgmtException(RejectReason.BAD_PARAMS, e.getMessage(), e);
    }
  }

  private void apply(
      VerifiedRequest r,
      ConfigSnapshot prev,
      ConfigSnapshot next,
      String section,
      Bytes content,
      Optional<Hash> previous)
      throws IOException {
    store.commit(next);
    try {
      hooks.configApplied(next);
      hooks.appendEvidence(
          new ConfigBody(next.version(), section, content, previous, Optional.of(r.signed())));
    } catch (Exception e) {
      store.revert(next, prev);
      String restored = "";
      try {
        hooks.configApplied(prev);
      } catch (Exception again) {
        e.addSuppressed(again);
        restored =
            "; re-applying version " + prev.version() + " also failed: " + again.getMessage();
      }
      RejectReason reason =
          e instanceof IllegalArgumentException
              ? RejectReason.BAD_PARAMS
              : RejectReason.APPLY_FAILED;
      throw new MgmtException(
          reason,
          "version "
              + next.version()
              + " refused ("
              + e.getMessage()
              + "), rolled back to "
              + prev.version()
              + restored,
          e);
    }
  }

  private static Optional<String> param(VerifiedRequest r, String key) {
    CborValue v = r.request().params().get(key);
    return v == null ? Optional.empty() : Optional.of(text(key, v));
  }

  private static String text(String key, CborValue v) {
    if (v instanceof CborText t) {
      return t.value();
    }
    if (v instanceof CborInt i) {
      return Long.toString(i.value());
    }
    throw new MgmtException(
        RejectReason.BAD_PARAMS, "param " + key + ": want text, got " + v.typeName());
  }

  private static String key(String k) {
    try {
      return ConfigSnapshot.requireKey(k);
    } catch (IllegalArgumentException e) {
      throw new MgmtException(RejectReason.BAD_PARAMS, e.getMessage(), e);
    }
  }

  private static long parseLong(String key, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new MgmtException(
          RejectReason.BAD_PARAMS, "param " + key + ": want a number, got \"" + v + "\"");
    }
  }
}
