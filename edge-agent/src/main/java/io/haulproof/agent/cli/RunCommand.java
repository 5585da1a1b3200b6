package io.haulproof.agent.cli;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.ConfigException;
import io.haulproof.agent.config.ConfigLoader;
import io.haulproof.agent.runtime.AgentFactory;
import io.haulproof.agent.runtime.AgentRuntime;
import io.haulproof.agent.systemd.SystemdNotifier;
import io.haulproof.agent.systemd.WatchdogKeeper;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof run --config FILE}: the production agent. Prints one JSON line when every part
 * is up (systemd gets READY=1 at the same moment), then runs until SIGTERM/SIGINT and shuts down in
 * order: sensors, pending lifts, final block and checkpoint, uplink, log.
 */
@Command(name = "run", description = "Runs the agent with a YAML configuration.")
final class RunCommand implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--config", required = true, description = "The agent's YAML configuration file.")
  Path config;

  @Override
  public Integer call() throws Exception {
    AgentConfig c;
    AgentFactory.Built built;
    try {
      c = new ConfigLoader().load(config);
      built =
          AgentFactory.build(
              c,
              SystemdNotifier.fromEnvironment(),
              WatchdogKeeper.keepAlivePeriod().toMillis(),
              version());
    } catch (ConfigException e) {
      System.err.println("haulproof run: " + config + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (io.haulproof.lightchain.crypto.KeyStoreException e) {
      System.err.println("haulproof run: keystore: " + e.getMessage());
      return Main.EXIT_CHECK_FAILED;
    }
    AgentRuntime runtime =
        new AgentRuntime(
            built.parts(),
            new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4),
            built.metrics());
    built.bind(runtime);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              System.err.println("haulproof run: stopping");
              runtime.stop().onComplete(x -> stopped.countDown());
              awaitQuietly(stopped);
            },
            "haulproof-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      runtime.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("haulproof run: start failed: " + e.getCause().getMessage());
      Runtime.getRuntime().removeShutdownHook(hook);
      runtime.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return Main.EXIT_CHECK_FAILED;
    }
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("state", "ready");
    ready.put("device", c.device().id());
    ready.put("http_port", runtime.httpPort());
    JsonLines.print(ready);
    stopped.await();
    return 0;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
