package io.haulproof.agent.status;

import io.haulproof.agent.lift.CollectionEvent;
import io.haulproof.agent.lift.Instrument;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the technicians' status page shows: live sensor values, the last lifts, chain height, last
 * receipt, outbox and calibration state. Thread-safe; verticles write, the HTTP verticle reads.
 */
public final class StatusBoard {
  private static final int LAST_LIFTS = 10;

  private final String deviceId;
  private final Map<String, Map<String, Object>> sensors = new ConcurrentHashMap<>();
  private final Deque<Map<String, Object>> lastLifts = new ArrayDeque<>();
  private volatile Map<String, Object> chain =
      Map.of("tree_size", 0L, "blocks", 0L, "checkpoints", 0L);
  private volatile Map<String, Object> receipt;
  private volatile Map<String, Object> outbox =
      Map.of("depth", 0L, "oldest_age_ms", 0L, "connected", false);
  private volatile Map<String, Object> calibration = Map.of("state", "no scale");
  private volatile Map<String, Object> witnessConflict;
  private volatile String state = "starting";

  public StatusBoard(String deviceId) {
    this.deviceId = deviceId;
  }

  /**
   * The latest value of one sensor ({@code scale}, {@code rfid}, {@code gps}); {@code at} is added.
   */
  public void sensor(String name, Map<String, Object> value) {
    Map<String, Object> v = new LinkedHashMap<>(value);
    v.put("at", Instant.now().toString());
    sensors.put(name, v);
  }

  /** A durable collection event at log position {@code index} with sequence {@code seq}. */
  public synchronized void lift(CollectionEvent e, long index, long seq) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", index);
    m.put("seq", seq);
    m.put("time", e.time().utc().toString());
    m.put("time_source", e.time().source().name());
    m.put("container", e.container() == null ? null : e.container().id());
    m.put("outcome", e.outcome().name());
    m.put(
        "net",
        e.weighing() == null || e.weighing().net() == null
            ? null
            : e.weighing().net().toPlainString());
    m.put("unit", e.weighing() == null ? null : e.weighing().unit());
    m.put("flags", e.flags().stream().map(Enum::name).sorted().toList());
    lastLifts.addFirst(m);
    while (lastLifts.size() > LAST_LIFTS) {
      lastLifts.removeLast();
    }
  }

  public void chain(long treeSize, long blocks, long checkpoints, Instant lastCheckpoint) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tree_size", treeSize);
    m.put("blocks", blocks);
    m.put("checkpoints", checkpoints);
    m.put("last_checkpoint", lastCheckpoint == null ? null : lastCheckpoint.toString());
    chain = m;
  }

  public void receipt(long treeSize, String witness, Instant at) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tree_size", treeSize);
    m.put("witness", witness);
    m.put("at", at.toString());
    receipt = m;
  }

  public void outbox(long depth, long oldestAgeMs, boolean connected) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("depth", depth);
    m.put("oldest_age_ms", oldestAgeMs);
    m.put("connected", connected);
    outbox = m;
  }

  /** The witness reported {@code count} conflicts (fork, rollback), the last for {@code reason}. */
  public void witnessConflict(long count, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("reason", reason);
    witnessConflict = m;
  }

  public void calibration(Instrument instrument, String state) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state);
    if (instrument != null) {
      m.put("approval", instrument.approval());
      m.put("serial", instrument.serial());
      if (instrument.softwareId() != null) {
        m.put("software_id", instrument.softwareId());
      }
      m.put("calibration_date", instrument.calibrationDate());
    }
    calibration = m;
  }

  public void state(String state) {
    this.state = state;
  }

  /** The whole board as a JSON-ready map. */
  public synchronized Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device", deviceId);
    m.put("state", state);
    m.put("sensors", new LinkedHashMap<>(sensors));
    m.put("last_lifts", new ArrayList<>(lastLifts));
    m.put("chain", chain);
    m.put("last_receipt", receipt);
    m.put("outbox", outbox);
    m.put("calibration", calibration);
    m.put("witness_conflict", witnessConflict);
    return m;
  }

  public synchronized List<Map<String, Object>> lastLifts() {
    return new ArrayList<>(lastLifts);
  }
}
