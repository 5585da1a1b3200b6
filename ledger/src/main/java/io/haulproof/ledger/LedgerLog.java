package io.haulproof.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's structured log (docs/ledger.md, "Structured logs"): one line per event on the logger
 * {@code io.haulproof.ledger.events}, as {@code key=value} pairs in a fixed order: {@code event=…
 * fleet=… device=… reason=…}. A value made only of {@code [A-Za-z0-9._:/@+-]} is written bare, any
 * other is double-quoted with {@code \\}, {@code "} and control characters escaped, so a device
 * name or reason an attacker chose can neither break the line nor add a field. Reasons are cut at
 * {@link #MAX_VALUE} characters.
 */
public final class LedgerLog {
  static final String LOGGER = "io.haulproof.ledger.events";
  static final int MAX_VALUE = 300;
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private LedgerLog() {}

  /** A normal event (a cosignature, a join, a CRL applied). */
  public static void info(String event, String fleet, String device, String reason) {
    if (LOG.isInfoEnabled()) {
      LOG.info(line(event, fleet, device, reason));
    }
  }

  /** A refused message or evidence (a reject, a conflict, a refused join). */
  public static void warn(String event, String fleet, String device, String reason) {
    if (LOG.isWarnEnabled()) {
      LOG.warn(line(event, fleet, device, reason));
    }
  }

  /** The line for one event; a null or empty field is written as {@code -}. */
  static String line(String event, String fleet, String device, String reason) {
    StringBuilder b = new StringBuilder(96);
    b.append("event=");
    value(b, event);
    b.append(" fleet=");
    value(b, fleet);
    b.append(" device=");
    value(b, device);
    b.append(" reason=");
    value(b, reason);
    return b.toString();
  }

  private static void value(StringBuilder b, String v) {
    if (v == null || v.isEmpty()) {
      b.append('-');
      return;
    }
    String s = v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) + "…" : v;
    if (bare(s)) {
      b.append(s);
      return;
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20 || ch == 0x7f || ch == '\u2028' || ch == '\u2029') {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    b.append('"');
  }

  private static boolean bare(String s) {
    if (s.equals("-")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean ok =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || ".:_/@+-".indexOf(ch) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
