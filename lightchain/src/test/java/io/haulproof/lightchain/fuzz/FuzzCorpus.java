package io.haulproof.lightchain.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed corpus of a module: {@code src/test/resources/fuzz/<target>/*} on the classpath.
 */
public final class FuzzCorpus {
  private FuzzCorpus() {}

  /** The corpus root of the module that holds {@code anchor} (a class in its test sources). */
  public static Path root(Class<?> anchor) {
    URL classes = anchor.getProtectionDomain().getCodeSource().getLocation();
    try {
      return Path.of(classes.toURI()).resolve("fuzz");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The files of one target's corpus, sorted by name; empty when it has none. */
  public static List<Path> files(Path root, String target) {
    Path dir = root.resolve(target);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The target folders present under {@code root}. */
  public static List<String> folders(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
