package io.haulproof.agent.mgmt;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.EntryBody;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Agent hooks for tests: records what the service asked of the runtime and can be told to refuse.
 */
public final class RecordingHooks implements AgentHooks {
  public final List<EntryBody> evidence = new ArrayList<>();
  public final List<ConfigSnapshot> applied = new ArrayList<>();
  public final List<DeviceKey> keys = new ArrayList<>();
  public final AtomicInteger reboots = new AtomicInteger();
  public volatile boolean refuseConfig;
  public volatile boolean refuseNextKey;
  public volatile boolean failLog;
  public List<X509Certificate> enrolledChain;

  @Override
  public synchronized void appendEvidence(EntryBody body) throws Exception {
    if (failLog) {
      throw new java.io.IOException("log is down");
    }
    evidence.add(body);
  }

  @Override
  public synchronized void keyChanged(DeviceKey key) throws Exception {
    keys.add(key);
    if (refuseNextKey) {
      refuseNextKey = false;
      throw new IllegalStateException("runtime refuses the new key");
    }
  }

  @Override
  public synchronized void configApplied(ConfigSnapshot config) {
    if (refuseConfig && !config.values().isEmpty() && config.values().containsKey("refuse.me")) {
      throw new IllegalStateException("runtime cannot apply refuse.me");
    }
    applied.add(config);
  }

  @Override
  public Map<String, Object> inventory() {
    return Map.of("firmware", "test-1.0");
  }

  @Override
  public List<String> logTail(int lines) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      out.add("line " + i);
    }
    return out;
  }

  @Override
  public void reboot() {
    reboots.incrementAndGet();
  }

  @Override
  public void enrolled(List<X509Certificate> chain) {
    enrolledChain = chain;
  }
}
