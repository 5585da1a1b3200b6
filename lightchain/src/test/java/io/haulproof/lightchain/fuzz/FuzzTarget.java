package io.haulproof.lightchain.fuzz;

import java.util.List;
import java.util.Objects;

/**
 * One coverage-guided fuzz target: its name (also the folder of its committed corpus, {@code
 * src/test/resources/fuzz/<name>/}), the body Jazzer calls with each input, and the seeds it was
 * started from (written once by {@link FuzzSeedWriter}).
 *
 * <p>A body is a finding when it throws anything: it catches only the exceptions its parser
 * documents for bad input, and asserts real properties (round trip, canonical form, bounded
 * allocation, nothing invented) with {@link AssertionError}.
 */
public record FuzzTarget(String name, Body body, Seeds seeds) {
  public FuzzTarget {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(seeds, "seeds");
    if (!name.matches("[A-Z][A-Za-z0-9]+")) {
      throw new IllegalArgumentException("target name must be a CamelCase word: " + name);
    }
  }

  /** The code under test, fed one input. */
  @FunctionalInterface
  public interface Body {
    void run(byte[] data) throws Exception;
  }

  /** Valid (or interesting) inputs to start from. */
  @FunctionalInterface
  public interface Seeds {
    List<byte[]> make() throws Exception;
  }
}
