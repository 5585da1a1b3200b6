package io.haulproof.ledger.billing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Writes pay-as-you-throw rows as CSV (RFC 4180, header line, CRLF) or JSON lines (one object per
 * row, keys as the CSV header), streaming: nothing is held beyond one row.
 *
 * <p>CSV text cells that a spreadsheet would run as a formula (starting with {@code = + - @}) get a
 * leading apostrophe (OWASP "CSV injection"); numbers and booleans are never changed.
 */
public final class PaytExport {
  /** The output format. */
  public enum Format {
    CSV,
    JSONL;

    /** The format named {@code csv} or {@code jsonl} (also {@code json}). */
    public static Format parse(String s) {
      return switch (s.toLowerCase(java.util.Locale.ROOT)) {
        case "csv" -> CSV;
        case "jsonl", "json", "ndjson" -> JSONL;
        default -> throw new IllegalArgumentException("format '" + s + "', want csv or jsonl");
      };
    }

    public String contentType() {
      return this == CSV ? "text/csv; charset=utf-8" : "application/x-ndjson";
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final Format format;
  private final Writer out;
  private long rows;

  public PaytExport(Format format, Writer out) throws IOException {
    this.format = format;
    this.out = out;
    if (format == Format.CSV) {
      out.write(String.join(",", LiftRow.COLUMNS));
      out.write("\r\n");
    }
  }

  public void write(LiftRow row) throws IOException {
    if (format == Format.CSV) {
      writeCsv(row);
    } else {
      writeJson(row);
    }
    rows++;
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  public void flush() throws IOException {
    out.flush();
  }

  private void writeCsv(LiftRow row) throws IOException {
    StringBuilder sb = new StringBuilder(256);
    boolean first = true;
    for (Map.Entry<String, Object> e : row.values().entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      if (v instanceof String s) {
        sb.append(csvText(s));
      } else if (v instanceof BigDecimal d) {
        sb.append(d.toPlainString());
      } else {
        sb.append(v);
      }
    }
    sb.append("\r\n");
    out.write(sb.toString());
  }

  static String csvText(String s) {
    String t = s;
    if (!t.isEmpty() && "=+-@".indexOf(t.charAt(0)) >= 0) {
      t = "'" + t;
    }
    if (t.indexOf(',') >= 0
        || t.indexOf('"') >= 0
        || t.indexOf('\n') >= 0
        || t.indexOf('\r') >= 0
        || !t.equals(s)) {
      return "\"" + t.replace("\"", "\"\"") + "\"";
    }
    return t;
  }

  private void writeJson(LiftRow row) throws IOException {
    java.io.StringWriter sw = new java.io.StringWriter(512);
    try (JsonGenerator g = JSON.createGenerator(sw)) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : row.values().entrySet()) {
        Object v = e.getValue();
        g.writeFieldName(e.getKey());
        if (v == null) {
          g.writeNull();
        } else if (v instanceof String s) {
          g.writeString(s);
        } else if (v instanceof BigDecimal d) {
          g.writeNumber(d);
        } else if (v instanceof Boolean b) {
          g.writeBoolean(b);
        } else if (v instanceof Double d) {
          g.writeNumber(d);
        } else if (v instanceof Integer i) {
          g.writeNumber(i);
        } else {
          g.writeNumber((Long) v);
        }
      }
      g.writeEndObject();
    }
    out.write(sw.toString());
    out.write("\n");
  }
}
