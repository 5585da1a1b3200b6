package io.haulproof.lightchain.fuzz;

import java.util.List;

/**
 * The fuzz targets of one module. Implementations have a public no-argument constructor, so that
 * {@link JazzerEntry} can load them by name in the Jazzer process.
 */
public interface FuzzRegistry {
  List<FuzzTarget> targets();

  /** Loads a registry by class name. */
  static FuzzRegistry load(String className) {
    try {
      return (FuzzRegistry) Class.forName(className).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot load fuzz registry " + className, e);
    }
  }

  /** The target called {@code name}. */
  default FuzzTarget target(String name) {
    return targets().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no fuzz target " + name));
  }
}
