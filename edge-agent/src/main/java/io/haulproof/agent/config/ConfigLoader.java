package io.haulproof.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads the agent's YAML file into {@link AgentConfig}, rejecting unknown keys and out-of-range
 * values.
 */
public final class ConfigLoader {
  private final ObjectMapper mapper;

  public ConfigLoader() {
    mapper =
        new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Loads and validates {@code file}.
   *
   * @throws ConfigException naming the key and the problem, or the file if it cannot be read
   */
  public AgentConfig load(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read: " + e.getMessage());
    }
    return parse(yaml);
  }

  /** Parses and validates YAML text. */
  public AgentConfig parse(String yaml) {
    try {
      JsonNode tree = mapper.readTree(yaml);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        throw new ConfigException("device", "is required (the file is empty)");
      }
      if (!tree.isObject()) {
        throw new ConfigException("(root)", "must be a mapping of keys, got " + tree.getNodeType());
      }
      UnknownKeys.check(tree, AgentConfig.class, "");
      AgentConfig config = mapper.treeToValue(tree, AgentConfig.class);
      if (config == null) {
        throw new ConfigException("device", "is required (the file is empty)");
      }
      return config;
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", "));
      throw new ConfigException(path(e), "unknown key, expected one of: " + known);
    } catch (JsonMappingException e) {
      ConfigException cause = findCause(e);
      if (cause != null) {
        throw cause.under(parentPath(e));
      }
      throw new ConfigException(path(e), "invalid value: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ConfigException("(yaml)", "not valid YAML: " + e.getOriginalMessage());
    }
  }

  /**
   * Checks only that every key of {@code yaml} is one some configuration record declares, without
   * requiring the other sections: for documentation fragments (docs/, firmware-notes/), which show
   * one section at a time.
   *
   * @throws ConfigException naming the first unknown key, or the YAML error
   */
  public void checkKeys(String yaml) {
    try {
      JsonNode tree = mapper.readTree(yaml);
      if (tree != null && tree.isObject()) {
        UnknownKeys.check(tree, AgentConfig.class, "");
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException("(yaml)", "not valid YAML: " + e.getOriginalMessage());
    }
  }

  private static ConfigException findCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConfigException ce) {
        return ce;
      }
    }
    return null;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      } else if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      }
    }
    return sb.length() == 0 ? "(root)" : sb.toString();
  }

  /**
   * For exceptions thrown from a record constructor, the path names the record, whose key the cause
   * then names.
   */
  private static String parentPath(JsonMappingException e) {
    String p = path(e);
    return p.equals("(root)") ? "" : p;
  }
}
