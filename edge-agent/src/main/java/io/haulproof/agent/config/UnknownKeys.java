package io.haulproof.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Rejects keys that no configuration record declares, before any record is built, so a misspelt key
 * is reported as such rather than as the missing key it was meant to be.
 */
final class UnknownKeys {
  private UnknownKeys() {}

  static void check(JsonNode node, Class<?> type, String path) {
    if (!type.isRecord() || node == null || !node.isObject()) {
      return;
    }
    Map<String, RecordComponent> components =
        Arrays.stream(type.getRecordComponents())
            .collect(Collectors.toMap(RecordComponent::getName, c -> c));
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
      RecordComponent c = components.get(f.getKey());
      if (c == null) {
        String known = components.keySet().stream().sorted().collect(Collectors.joining(", "));
        throw new ConfigException(key, "unknown key, expected one of: " + known);
      }
      if (c.getType().isRecord()) {
        check(f.getValue(), c.getType(), key);
      } else if (c.getType() == List.class && f.getValue().isArray()) {
        Type arg = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
        if (arg instanceof Class<?> element && element.isRecord()) {
          for (int i = 0; i < f.getValue().size(); i++) {
            check(f.getValue().get(i), element, key + "[" + i + "]");
          }
        }
      }
    }
  }
}
