package io.haulproof.lightchain.merkle;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny strict JSON reader for the flat test-vector files (objects, arrays, strings, integers,
 * booleans, null).
 */
final class MiniJson {
  private final String s;
  private int pos;

  private MiniJson(String s) {
    this.s = s;
  }

  static Object parse(String text) {
    MiniJson p = new MiniJson(text);
    Object v = p.value();
    p.ws();
    if (p.pos != text.length()) {
      throw new IllegalArgumentException("trailing data at " + p.pos);
    }
    return v;
  }

  private void ws() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private Object value() {
    ws();
    char c = s.charAt(pos);
    if (c == '{') {
      pos++;
      Map<String, Object> m = new LinkedHashMap<>();
      ws();
      if (s.charAt(pos) == '}') {
        pos++;
        return m;
      }
      while (true) {
        ws();
        String k = string();
        ws();
        expect(':');
        m.put(k, value());
        ws();
        if (s.charAt(pos) == ',') {
          pos++;
        } else {
          expect('}');
          return m;
        }
      }
    }
    if (c == '[') {
      pos++;
      List<Object> l = new ArrayList<>();
      ws();
      if (s.charAt(pos) == ']') {
        pos++;
        return l;
      }
      while (true) {
        l.add(value());
        ws();
        if (s.charAt(pos) == ',') {
          pos++;
        } else {
          expect(']');
          return l;
        }
      }
    }
    if (c == '"') {
      return string();
    }
    for (String lit : new String[] {"true", "false", "null"}) {
      if (s.startsWith(lit, pos)) {
        pos += lit.length();
        return lit.equals("null") ? null : Boolean.valueOf(lit);
      }
    }
    int start = pos;
    while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '-')) {
      pos++;
    }
    return new BigInteger(s.substring(start, pos));
  }

  private String string() {
    expect('"');
    int start = pos;
    while (s.charAt(pos) != '"') {
      if (s.charAt(pos) == '\\') {
        throw new IllegalArgumentException("escapes not supported at " + pos);
      }
      pos++;
    }
    return s.substring(start, pos++);
  }

  private void expect(char c) {
    if (s.charAt(pos) != c) {
      throw new IllegalArgumentException(
          "want '" + c + "' at " + pos + ", got '" + s.charAt(pos) + "'");
    }
    pos++;
  }
}
