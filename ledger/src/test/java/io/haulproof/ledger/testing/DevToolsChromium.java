package io.haulproof.ledger.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.lightchain.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven like a user through the DevTools protocol (a WebSocket on a
 * loopback port Chromium picks itself): load a page, type into a field, click a button, read the
 * DOM and storage, take a screenshot. One browser with a fresh profile per instance, stopped by PID
 * on {@link #close}. For pages that need interaction (a login form), where {@code --dump-dom}
 * cannot.
 */
public final class DevToolsChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Process process;
  private final Path err;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

  public DevToolsChromium(Path dir) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "chromium");
    err = dir.resolve("chromium-devtools.err");
    process =
        new ProcessBuilder(
                io.haulproof.uplink.testing.HeadlessChromium.command(
                    profile,
                    "--remote-debugging-address=127.0.0.1",
                    "--remote-debugging-port=0",
                    "about:blank"))
            .redirectOutput(dir.resolve("chromium-devtools.out").toFile())
            .redirectError(err.toFile())
            .start();
    try {
      // Chromium writes the port it chose into the profile once it listens
      Path portFile = profile.resolve("DevToolsActivePort");
      Await.until(
          () -> Files.exists(portFile) && lines(portFile) >= 2 || !process.isAlive(),
          WAIT,
          () -> "chromium did not open its DevTools port: " + tail());
      if (!process.isAlive()) {
        throw new IOException("chromium exited with " + process.exitValue() + ": " + tail());
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      JsonNode targets =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      String ws = null;
      for (JsonNode t : targets) {
        if (t.path("type").asText().equals("page")) {
          ws = t.get("webSocketDebuggerUrl").asText();
        }
      }
      if (ws == null) {
        throw new IOException("chromium has no page target: " + targets);
      }
      socket =
          http.newWebSocketBuilder()
              .buildAsync(URI.create(ws), new Listener())
              .get(30, TimeUnit.SECONDS);
      call("Page.enable", JSON.createObjectNode());
      call("Runtime.enable", JSON.createObjectNode());
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new IOException("cannot connect to chromium: " + e.getMessage(), e);
    }
  }

  private static long lines(Path p) {
    try {
      return Files.readAllLines(p).size();
    } catch (IOException e) {
      return 0; // being written
    }
  }

  private String tail() {
    try {
      String s = Files.readString(err);
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no stderr)";
    }
  }

  /** Loads {@code url} and waits until the document and its deferred scripts have loaded. */
  public void open(String url) throws IOException {
    ObjectNode p = JSON.createObjectNode().put("url", url);
    JsonNode r = call("Page.navigate", p);
    if (r.has("errorText")) {
      throw new IOException("cannot load " + url + ": " + r.get("errorText").asText());
    }
    waitFor(
        "location.href === "
            + JSON.writeValueAsString(url)
            + " && document.readyState === 'complete'",
        "page " + url + " loaded");
  }

  /** The value of the JavaScript expression {@code js} in the page (a promise is awaited). */
  public JsonNode eval(String js) throws IOException {
    ObjectNode p =
        JSON.createObjectNode()
            .put("expression", js)
            .put("returnByValue", true)
            .put("awaitPromise", true);
    JsonNode r = call("Runtime.evaluate", p);
    if (r.has("exceptionDetails")) {
      throw new IOException("script '" + js + "' failed: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Waits until the JavaScript expression {@code js} is true in the page. */
  public void waitFor(String js, String what) {
    Await.until(
        () -> {
          try {
            return eval(js).asBoolean(false);
          } catch (IOException e) {
            return false;
          }
        },
        WAIT,
        () -> what + " (page: " + domOrError() + ")");
  }

  private String domOrError() {
    try {
      String d = dom();
      return d.length() > 1500 ? d.substring(0, 1500) + "…" : d;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** Types {@code text} into the element {@code selector} as keyboard input would. */
  public void type(String selector, String text) throws IOException {
    eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").focus()");
    call("Input.insertText", JSON.createObjectNode().put("text", text));
  }

  /** Clicks the middle of the element {@code selector} with the mouse. */
  public void click(String selector) throws IOException {
    JsonNode box =
        eval(
            "(() => { const r = document.querySelector("
                + JSON.writeValueAsString(selector)
                + ").getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2};"
                + " })()");
    for (String type : new String[] {"mousePressed", "mouseReleased"}) {
      ObjectNode p =
          JSON.createObjectNode()
              .put("type", type)
              .put("x", box.get("x").asDouble())
              .put("y", box.get("y").asDouble())
              .put("button", "left")
              .put("clickCount", 1);
      call("Input.dispatchMouseEvent", p);
    }
  }

  /** The page's DOM as HTML. */
  public String dom() throws IOException {
    return eval("document.documentElement.outerHTML").asText();
  }

  /** A PNG screenshot of the viewport into {@code png}. */
  public void screenshot(Path png) throws IOException {
    JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
    Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
  }

  private JsonNode call(String method, ObjectNode params) throws IOException {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    calls.put(id, answer);
    ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
    m.set("params", params);
    try {
      socket.sendText(JSON.writeValueAsString(m), true).get(30, TimeUnit.SECONDS);
      JsonNode r = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (r.has("error")) {
        throw new IOException(method + ": " + r.get("error"));
      }
      return r.path("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during " + method, e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(method + " got no answer: " + e + " " + tail(), e);
    } finally {
      calls.remove(id);
    }
  }

  /** Collects each message's frames and completes the call it answers; events are ignored. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode m = JSON.readTree(text.toString());
          CompletableFuture<JsonNode> f = m.has("id") ? calls.get(m.get("id").asInt()) : null;
          if (f != null) {
            f.complete(m);
          }
        } catch (IOException e) {
          calls.values().forEach(f -> f.completeExceptionally(e));
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      calls.values().forEach(f -> f.completeExceptionally(error));
    }
  }

  @Override
  public void close() throws InterruptedException {
    java.util.List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
