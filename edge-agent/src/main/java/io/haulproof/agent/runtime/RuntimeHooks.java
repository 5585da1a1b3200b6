package io.haulproof.agent.runtime;

import io.haulproof.agent.mgmt.AgentHooks;
import io.haulproof.agent.mgmt.ConfigSnapshot;
import io.haulproof.agent.status.StatusBoard;
import io.haulproof.authenticator.PoahSettings;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.entry.EntryBody;
import io.vertx.core.Vertx;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the running agent offers the management service (called on its worker thread): durable log
 * appends, the managed settings the runtime understands ({@link ConfigOverlay}: {@code route.tour},
 * {@code route.crew} and {@code calibration.*} live, {@code uplink.broker} at the next restart),
 * inventory and restart. Anything it cannot apply it refuses, so the service rolls the change back
 * instead of logging a change that did not happen.
 */
public final class RuntimeHooks implements AgentHooks {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeHooks.class);
  private static final long APPEND_TIMEOUT_S = 60;

  private volatile Lightchain chain;
  private final String version;
  private final long startedNanos = System.nanoTime();
  private volatile Vertx vertx;
  private volatile StatusBoard board;
  private volatile Map<String, String> calibration = Map.of();
  private volatile UplinkPort uplink;
  private volatile io.haulproof.agent.config.UplinkConfig uplinkConfig;
  private volatile List<AdcScaleSource> adcScales = List.of();

  public RuntimeHooks(String version) {
    this.version = version;
  }

  /**
   * The log, once opened (it is opened with the identity's key, so after the management service).
   */
  public void attach(Lightchain chain) {
    this.chain = chain;
  }

  /** The uplink, whose status message must name the key in use after a rotation. */
  public void attachUplink(UplinkPort uplink) {
    this.uplink = uplink;
  }

  /**
   * The uplink as configured in the YAML file, against which a managed {@code uplink.broker} is
   * checked (an {@code ssl://} uplink is never switched to {@code tcp://}).
   */
  public void uplinkConfig(io.haulproof.agent.config.UplinkConfig u) {
    this.uplinkConfig = u;
  }

  /** The load-cell ADC scales whose zero and span {@code calibrate} requests change live. */
  public void calibrationTargets(List<AdcScaleSource> scales) {
    this.adcScales = List.copyOf(scales);
  }

  /**
   * Applies {@code calibration.<scale>.zero} (counts) and {@code .span} (counts per unit) to the
   * ADC scale of that name: both checked first, then set together, so the next conversion uses
   * them. A value missing from the request keeps the one in force (re-zero only). Keys for scales
   * that are not ADCs (indicators calibrate themselves) are only recorded.
   *
   * @throws IllegalArgumentException for a value that is not a number or a zero span
   */
  public void applyCalibration(Map<String, String> values) {
    Map<AdcScaleSource, io.haulproof.drivers.scale.Calibration> next = new LinkedHashMap<>();
    for (AdcScaleSource s : adcScales) {
      String prefix = "calibration." + s.scaleName() + ".";
      String zero = values.get(prefix + "zero");
      String span = values.get(prefix + "span");
      if (zero == null && span == null) {
        continue;
      }
      io.haulproof.drivers.scale.Calibration now = s.calibration();
      try {
        next.put(
            s,
            new io.haulproof.drivers.scale.Calibration(
                zero == null ? now.zeroOffset() : new java.math.BigDecimal(zero).longValueExact(),
                span == null ? now.countsPerUnit() : new java.math.BigDecimal(span)));
      } catch (ArithmeticException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            prefix + "zero/span: " + e.getMessage() + " (zero in whole counts, span non-zero)", e);
      }
    }
    next.forEach(
        (s, c) -> {
          s.calibrate(c);
          LOG.info(
              "scale {} calibrated: zero {} counts, span {} counts per unit",
              s.scaleName(),
              c.zeroOffset(),
              c.countsPerUnit());
        });
  }

  /** Connects the hooks to the started runtime's event bus and status board. */
  public void bind(Vertx vertx, StatusBoard board) {
    this.vertx = vertx;
    this.board = board;
  }

  @Override
  public void appendEvidence(EntryBody body) throws Exception {
    if (chain == null) {
      throw new IllegalStateException("the evidence log is not open yet");
    }
    chain.append(body).get(APPEND_TIMEOUT_S, TimeUnit.SECONDS);
  }

  @Override
  public void keyChanged(DeviceKey key) throws Exception {
    Lightchain ch = chain;
    if (ch == null) {
      throw new IllegalStateException(
          "the evidence log is not open yet and cannot switch to kid "
              + Kid.of(key.publicKey()).toHex());
    }
    Kid before = Kid.of(ch.log().key().publicKey());
    ch.switchKey(key);
    LOG.info("evidence log now signs with kid {} (was {})", key.kid().toHex(), before.toHex());
    UplinkPort up = uplink;
    if (up != null) {
      up.keyRotated(key.kid());
    }
  }

  @Override
  public void configApplied(ConfigSnapshot config) {
    Map<String, String> cal = new LinkedHashMap<>();
    String tour = null;
    String crew = null;
    boolean poah = false;
    for (Map.Entry<String, String> e : config.values().entrySet()) {
      String k = e.getKey();
      if (!ConfigOverlay.understood(k)) {
        throw new IllegalArgumentException("config key " + k + " is not understood by this agent");
      }
      if (k.equals("route.tour")) {
        tour = e.getValue();
      } else if (k.equals("route.crew")) {
        crew = e.getValue();
      } else if (k.startsWith("calibration.")) {
        cal.put(k, e.getValue());
      } else if (k.equals("uplink.broker")) {
        checkBroker(e.getValue());
      } else {
        poah =
            true; // poah.quorum or poah.authenticator.<name>, the rest of ConfigOverlay.understood
      }
    }
    if (poah) {
      // The PoAh authenticator set and quorum (docs/chain.md): refused whole if malformed, so
      // the management service rolls back; the applied config entry is what auditors read.
      PoahSettings.fromConfig(config.canonical())
          .orElseThrow(
              () -> new IllegalArgumentException("poah.authenticator.* without poah.quorum"));
    }
    Vertx v = vertx;
    if (v != null && (tour != null || crew != null)) {
      v.eventBus().send(Addresses.ROUTE, new RouteChange(tour, crew));
    }
    applyCalibration(cal);
    calibration = Map.copyOf(cal);
    LOG.info(
        "management config version {} applied ({} keys)", config.version(), config.values().size());
  }

  private void checkBroker(String url) {
    io.haulproof.agent.config.UplinkConfig u = uplinkConfig;
    if (u == null || u.isCoap()) {
      throw new IllegalArgumentException(
          "uplink.broker: this agent has no MQTT uplink section to change");
    }
    try {
      io.haulproof.agent.config.BrokerUrl.check("uplink.broker", url, u.tls());
    } catch (io.haulproof.agent.config.ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public List<String> restartRequired(ConfigSnapshot previous, ConfigSnapshot next) {
    List<String> out = new java.util.ArrayList<>();
    for (String k : new java.util.TreeSet<>(ConfigOverlay.RESTART_KEYS)) {
      if (!java.util.Objects.equals(previous.values().get(k), next.values().get(k))) {
        out.add(k);
        LOG.warn("{} changed to {}: applied at the next restart", k, next.values().get(k));
      }
    }
    return out;
  }

  @Override
  public Map<String, Object> inventory() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version);
    m.put("uptime_s", (System.nanoTime() - startedNanos) / 1_000_000_000L);
    Lightchain ch = chain;
    m.put("tree_size", ch == null ? 0 : ch.log().size());
    m.put("blocks", ch == null ? 0 : ch.blockCount());
    m.put("calibration", calibration);
    return m;
  }

  @Override
  public List<String> logTail(int lines) {
    return List.of("diagnostics go to the journal: journalctl -u haulproof -n " + lines);
  }

  @Override
  public void reboot() {
    LOG.warn("restart requested by management; exiting so the service manager restarts the agent");
    new Thread(() -> System.exit(0), "haulproof-restart").start();
  }

  @Override
  public void enrolled(List<X509Certificate> chainCerts) {
    LOG.info(
        "enrolled: {}",
        chainCerts.isEmpty() ? "no certificate" : chainCerts.get(0).getSubjectX500Principal());
    StatusBoard b = board;
    if (b != null) {
      b.state("running (enrolled)");
    }
  }
}
