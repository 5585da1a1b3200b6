package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The structured log line: fixed keys, bare or quoted values, nothing a value can inject. */
class LedgerLogTest {

  @Test
  void line_plainValues_writtenBareInFixedOrder() {
    assertThat(LedgerLog.line("entry.rejected", "fleet-a", "truck-1", "bad"))
        .isEqualTo("event=entry.rejected fleet=fleet-a device=truck-1 reason=bad");
  }

  @Test
  void line_missingFields_writtenAsDash() {
    assertThat(LedgerLog.line("crl.refused", null, "", "x"))
        .isEqualTo("event=crl.refused fleet=- device=- reason=x");
    assertThat(parse(LedgerLog.line("crl.refused", "-", null, null)))
        .containsEntry("fleet", "-")
        .containsEntry("reason", "-");
  }

  @Test
  void line_hostileDeviceName_quotedOnOneLineWithNoExtraField() {
    String hostile = "truck\" event=forged reason=\"x\nevent=device.joined fleet=evil";
    String line = LedgerLog.line("entry.rejected", "fleet-a", hostile, "sig <img onerror=1>");
    assertThat(line).doesNotContain("\n").doesNotContain("\r");
    Map<String, String> kv = parse(line);
    assertThat(kv.keySet()).containsExactly("event", "fleet", "device", "reason");
    assertThat(kv).containsEntry("event", "entry.rejected").containsEntry("device", hostile);
    assertThat(kv).containsEntry("reason", "sig <img onerror=1>");
  }

  @Test
  void line_longReason_cutAtLimit() {
    String line = LedgerLog.line("entry.rejected", "f", "d", "r".repeat(5000));
    assertThat(parse(line).get("reason")).hasSize(LedgerLog.MAX_VALUE + 1).endsWith("…");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 20261204})
  void line_seededRandomValues_parseBackExactly(long seed) {
    Random rnd = new Random(seed);
    for (int i = 0; i < 200; i++) {
      String f = randomString(rnd);
      String d = randomString(rnd);
      String r = randomString(rnd);
      String line = LedgerLog.line("checkpoint.conflict", f, d, r);
      assertThat(line).as("seed %d", seed).doesNotContain("\n", "\r", "\u2028");
      Map<String, String> kv = parse(line);
      assertThat(kv.keySet()).containsExactly("event", "fleet", "device", "reason");
      assertThat(kv.get("fleet")).isEqualTo(f.isEmpty() ? "-" : f);
      assertThat(kv.get("device")).isEqualTo(d.isEmpty() ? "-" : d);
      assertThat(kv.get("reason")).isEqualTo(r.isEmpty() ? "-" : r);
    }
  }

  private static String randomString(Random rnd) {
    String alphabet = "ab-_.= \"\\\n\r\t\u0000\u007f\u2028é<>";
    StringBuilder b = new StringBuilder();
    int n = rnd.nextInt(20);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** A strict parser for the documented format (what a log shipper would do). */
  static Map<String, String> parse(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    while (i < line.length()) {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq);
      assertThat(key).matches("[a-z]+");
      i = eq + 1;
      StringBuilder v = new StringBuilder();
      if (line.charAt(i) == '"') {
        i++;
        while (line.charAt(i) != '"') {
          char c = line.charAt(i++);
          if (c == '\\') {
            char e = line.charAt(i++);
            switch (e) {
              case 'n' -> v.append('\n');
              case 'r' -> v.append('\r');
              case 't' -> v.append('\t');
              case 'u' -> {
                v.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
                i += 4;
              }
              default -> v.append(e);
            }
          } else {
            v.append(c);
          }
        }
        i++;
      } else {
        int sp = line.indexOf(' ', i);
        sp = sp < 0 ? line.length() : sp;
        v.append(line, i, sp);
        i = sp;
      }
      assertThat(out.put(key, v.toString())).as("duplicate key %s in %s", key, line).isNull();
      if (i < line.length()) {
        assertThat(line.charAt(i)).isEqualTo(' ');
        i++;
      }
    }
    return out;
  }
}
