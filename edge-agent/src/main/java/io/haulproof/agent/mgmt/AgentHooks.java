package io.haulproof.agent.mgmt;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.EntryBody;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What the runtime provides to the management service. Every method is called from the management
 * worker thread (never an event loop) and may block.
 */
public interface AgentHooks {
  /**
   * Appends {@code body} to the evidence log and returns only once it is durable (after the group
   * commit's force). The log signs it with the currently active device key.
   */
  void appendEvidence(EntryBody body) throws Exception;

  /**
   * From now on the log must sign with {@code key} (the {@code key} entry registering it has just
   * been appended, signed by the previous key). Throwing refuses the switch, which is then rolled
   * back; the service calls this again with the previous key.
   */
  void keyChanged(DeviceKey key) throws Exception;

  /**
   * The running agent must take {@code config}. Throwing refuses it; the previous configuration is
   * restored.
   */
  void configApplied(ConfigSnapshot config) throws Exception;

  /**
   * The keys changed from {@code previous} to {@code next} that take effect only at the next start
   * (the answer to the request says so); none by default.
   */
  default java.util.List<String> restartRequired(ConfigSnapshot previous, ConfigSnapshot next) {
    return java.util.List.of();
  }

  /**
   * Extra inventory facts (version, uptime, chain height, drivers...), merged into the inventory
   * answer.
   */
  Map<String, Object> inventory();

  /** The last {@code lines} lines of the agent's own diagnostic log, oldest first. */
  List<String> logTail(int lines) throws Exception;

  /** Reboots or restarts the agent; called after the response has been handed to the transport. */
  void reboot();

  /**
   * The device is enrolled (certificate installed); the runtime publishes its birth message now.
   */
  void enrolled(List<X509Certificate> chain);
}
