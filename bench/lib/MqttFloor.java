import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * The MQTT floor of one stored entry (bench/ingest-floor.sh, issue 10): what Paho at both ends and the
 * broker cost per QoS 1 message shaped like an {@code entries} message (COSE-sized payload, user
 * properties index, seq and kind), with nothing else done with it. Single-file program, run with the
 * Paho jar on the class path:
 *
 * <pre>
 *   java -cp paho.jar MqttFloor.java sub BROKER WARM COUNT
 *   java -cp paho.jar MqttFloor.java pub BROKER CLIENTS WARM COUNT GO_FILE
 * </pre>
 *
 * {@code sub} receives WARM + COUNT messages and prints the process CPU spent on the last COUNT;
 * {@code pub} publishes WARM messages, prints {@code warm}, waits for GO_FILE, publishes COUNT more
 * (at most 1,000 in flight per client) and prints the CPU it spent on them.
 */
public final class MqttFloor {
  private static final int PAYLOAD = 420; // a signed collection entry is 380-460 bytes

  public static void main(String[] a) throws Exception {
    if (a[0].equals("sub")) {
      sub(a[1], Long.parseLong(a[2]), Long.parseLong(a[3]));
    } else {
      pub(a[1], Integer.parseInt(a[2]), Long.parseLong(a[3]), Long.parseLong(a[4]), Path.of(a[5]));
    }
  }

  static long cpuNs() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Connects {@code c} with a clean start and a 1,000-message receive window. */
  static MqttAsyncClient connect(MqttAsyncClient c) throws MqttException {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setReceiveMaximum(1000);
    c.connect(o).waitForCompletion(10_000);
    return c;
  }

  static void sub(String broker, long warm, long count) throws Exception {
    AtomicLong seen = new AtomicLong();
    long[] cpu = new long[2];
    long[] wall = new long[2];
    CountDownLatch done = new CountDownLatch(1);
    MqttAsyncClient c = new MqttAsyncClient(broker, "floor-sub", new MemoryPersistence());
    c.setCallback(
        new MqttCallback() {
          @Override
          public void messageArrived(String topic, MqttMessage m) {
            long n = seen.incrementAndGet();
            if (n == warm) {
              cpu[0] = cpuNs();
              wall[0] = System.nanoTime();
            } else if (n == warm + count) {
              cpu[1] = cpuNs();
              wall[1] = System.nanoTime();
              done.countDown();
            }
          }

          @Override
          public void disconnected(MqttDisconnectResponse r) {}

          @Override
          public void mqttErrorOccurred(MqttException e) {
            e.printStackTrace();
          }

          @Override
          public void deliveryComplete(IMqttToken t) {}

          @Override
          public void connectComplete(boolean reconnect, String uri) {}

          @Override
          public void authPacketArrived(int reason, MqttProperties p) {}
        });
    connect(c);
    c.subscribe("haulproof/v1/+/+/entries", 1).waitForCompletion(10_000);
    System.out.println("subscribed");
    long last = -1;
    while (!done.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
      if (seen.get() == last && last > 0) {
        System.out.println("stalled after " + last + " of " + (warm + count) + " messages");
        System.exit(1);
      }
      last = seen.get();
    }
    System.out.printf(
        "{\"side\":\"sub\",\"messages\":%d,\"cpu_ms_per_message\":%.4f,\"wall_s\":%.2f}%n",
        count, (cpu[1] - cpu[0]) / 1e6 / count, (wall[1] - wall[0]) / 1e9);
    c.disconnect().waitForCompletion(10_000);
    c.close();
  }

  static void pub(String broker, int clients, long warm, long count, Path go) throws Exception {
    MqttAsyncClient[] cs = new MqttAsyncClient[clients];
    for (int i = 0; i < clients; i++) {
      cs[i] = connect(new MqttAsyncClient(broker, "floor-pub-" + i, new MemoryPersistence()));
    }
    byte[] payload = new byte[PAYLOAD];
    new Random(1).nextBytes(payload);
    publish(cs, payload, 0, warm);
    System.out.println("warm");
    while (!Files.exists(go)) {
      Thread.sleep(5);
    }
    long cpu0 = cpuNs();
    long wall0 = System.nanoTime();
    publish(cs, payload, warm, count);
    long cpu = cpuNs() - cpu0;
    System.out.printf(
        "{\"side\":\"pub\",\"clients\":%d,\"messages\":%d,\"cpu_ms_per_message\":%.4f,"
            + "\"wall_s\":%.2f}%n",
        clients, count, cpu / 1e6 / count, (System.nanoTime() - wall0) / 1e9);
    for (MqttAsyncClient c : cs) {
      c.disconnect().waitForCompletion(10_000);
      c.close();
    }
  }

  /** Publishes {@code count} messages round-robin over the clients; returns once all are acked. */
  static void publish(MqttAsyncClient[] cs, byte[] payload, long first, long count)
      throws Exception {
    Semaphore[] window = new Semaphore[cs.length];
    for (int i = 0; i < cs.length; i++) {
      window[i] = new Semaphore(1000);
    }
    CountDownLatch acked = new CountDownLatch((int) count);
    MqttActionListener done =
        new MqttActionListener() {
          @Override
          public void onSuccess(IMqttToken t) {
            ((Semaphore) t.getUserContext()).release();
            acked.countDown();
          }

          @Override
          public void onFailure(IMqttToken t, Throwable e) {
            e.printStackTrace();
            System.exit(1);
          }
        };
    for (long n = first; n < first + count; n++) {
      int i = (int) (n % cs.length);
      MqttMessage m = new MqttMessage(payload, 1, false, null);
      MqttProperties p = new MqttProperties();
      p.setUserProperties(
          List.of(
              new UserProperty("index", Long.toString(n / cs.length)),
              new UserProperty("seq", Long.toString(n / cs.length + 1)),
              new UserProperty("kind", "collection")));
      m.setProperties(p);
      window[i].acquire();
      cs[i].publish("haulproof/v1/floor/truck-" + i + "/entries", m, window[i], done);
    }
    acked.await();
  }
}
