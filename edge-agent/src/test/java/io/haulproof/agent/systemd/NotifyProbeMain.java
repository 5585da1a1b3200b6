package io.haulproof.agent.systemd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in service for {@link SystemdNotifyIT}: it uses {@link SystemdNotifier} and {@link
 * WatchdogKeeper} exactly as the agent's runtime does, with a health check the test controls
 * (healthy while the file {@code args[0]} exists). Each health check prints one line to stdout, so
 * the test can tell when the keeper has seen a change.
 */
public final class NotifyProbeMain {
  private NotifyProbeMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path healthFile = Path.of(args[0]);
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment();
    CountDownLatch stop = new CountDownLatch(1);
    WatchdogKeeper keeper =
        WatchdogKeeper.start(
            notifier,
            () -> {
              boolean ok = Files.exists(healthFile);
              System.out.println("health " + ok);
              System.out.flush();
              return ok;
            });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  keeper.close();
                  notifier.stopping();
                  stop.countDown();
                }));
    System.out.println("period " + keeper.period().toMillis());
    notifier.ready();
    stop.await();
  }
}
