package io.haulproof.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures {@link System#out} and {@link System#err} while each test method runs (after its
 * {@code @BeforeEach}, restored before its {@code @AfterEach}), for tests of CLI commands run in
 * process: {@code @RegisterExtension final CapturedOutput captured = new CapturedOutput();}.
 */
public final class CapturedOutput
    implements BeforeTestExecutionCallback, AfterTestExecutionCallback {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream stdout;
  private PrintStream stderr;

  /** What the test printed on standard output ({@code reset()} empties it). */
  public ByteArrayOutputStream out() {
    return out;
  }

  /** The last line printed on standard output, as JSON (the commands' summary line). */
  public JsonNode lastJson() throws IOException {
    List<String> lines = out.toString(StandardCharsets.UTF_8).strip().lines().toList();
    if (lines.isEmpty()) {
      throw new AssertionError("nothing printed on standard output");
    }
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  /** What the test printed on standard error. */
  public ByteArrayOutputStream err() {
    return err;
  }

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    stdout = System.out;
    stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    System.setOut(stdout);
    System.setErr(stderr);
  }
}
