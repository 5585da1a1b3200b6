package io.haulproof.lightchain.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads JSON vector files from {@code src/test/resources/vectors/…}; fails when a folder holds
 * none.
 */
public final class TestVectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestVectors() {}

  /**
   * The {@code *.json} files under {@code vectors/<folder>} on the test classpath, recursively,
   * sorted.
   */
  public static List<Path> files(String folder) {
    URL url = TestVectors.class.getClassLoader().getResource("vectors/" + folder);
    if (url == null) {
      throw new IllegalStateException(
          "no vector folder vectors/" + folder + " on the test classpath");
    }
    try (Stream<Path> s = Files.walk(Path.of(url.toURI()))) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalStateException("no vector files in vectors/" + folder);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
