package io.haulproof.agent.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code haulproof authenticator} nodes as separate processes of this same program (same Java, same
 * class path or jar), each with its own data dir; their stdout lines are relayed to the demo's
 * progress stream with the node's name. Stopped with SIGTERM by PID.
 */
public final class NodeProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final PrintStream progress;

  public NodeProcesses(PrintStream progress) {
    this.progress = progress;
  }

  /** Starts one node per data dir and waits until every one says it is ready. */
  public void start(String broker, List<Path> dataDirs) throws IOException, InterruptedException {
    CountDownLatch ready = new CountDownLatch(dataDirs.size());
    for (Path d : dataDirs) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
      cmd.add("io.haulproof.agent.cli.Main");
      cmd.addAll(List.of("authenticator", "--broker", broker, "--data-dir", d.toString()));
      Process p =
          new ProcessBuilder(cmd)
              .redirectError(
                  ProcessBuilder.Redirect.appendTo(
                      d.resolveSibling(d.getFileName() + ".log").toFile()))
              .start();
      processes.add(p);
      String name = d.getFileName().toString();
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  boolean seen = false;
                  while ((line = r.readLine()) != null) {
                    if (!seen && line.contains("\"event\":\"ready\"")) {
                      seen = true;
                      ready.countDown();
                    }
                    if (line.contains("\"event\":\"rejected\"")
                        || line.contains("\"event\":\"ready\"")
                        || line.contains("\"event\":\"equivocation\"")) {
                      progress.println("haulproof demo: " + name + " " + line);
                    }
                  }
                } catch (IOException e) {
                  // the node is gone
                }
              },
              "demo-" + name);
      t.setDaemon(true);
      t.start();
    }
    if (!ready.await(120, TimeUnit.SECONDS)) {
      throw new IOException("not every authenticator node became ready within 120 s");
    }
  }

  public List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
