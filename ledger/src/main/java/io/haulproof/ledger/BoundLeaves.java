package io.haulproof.ledger;

import io.haulproof.lightchain.bytes.Hash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The leaf hashes of entries this ledger saw bound, per device, so that a byte-identical resend of
 * a bound entry is answered as a duplicate without a database transaction: trucks resend what a
 * late receipt did not count yet (42,000–59,000 resends per 30,000 entries in the session-9
 * 1,000-truck benchmark), and each resend batch cost a transaction with the device's row lock.
 *
 * <p>Security guarantees: a device's tree only grows, so the leaf bound at an index is final; this
 * memory holds only leaves that a committed transaction bound or read as bound ({@link Facts},
 * applied after the commit), so with several instances on one database it can be incomplete, never
 * wrong. A hit means the same device, the same index and the same 32-byte RFC 9162 leaf hash (the
 * same bytes); lost placeholders are never held, so an entry at a lost index is never a hit.
 * Whoever asks must have checked the entry (signature, key, device) first. A commit without waiting
 * for the WAL flush may be lost if the database crashes; the database is reached again only through
 * a new connection, so when {@code connectionsOpened} changes everything is forgotten, and facts
 * from a transaction that began before the change are dropped.
 *
 * <p>Cost: per device, the most recent run of bound leaves (at most {@code perDevice}) in one array
 * of 32 bytes per leaf; in all at most {@code max} leaves of arrays (32 MiB for the default
 * 1,048,576) plus about 150 bytes per device. Beyond {@code max} the least recently used devices
 * go; a device's window drops its older half when full. A leaf that is not held (older, forgotten,
 * or bound elsewhere) simply goes through the database.
 */
final class BoundLeaves {
  /** One leaf bound at {@code index}. */
  record Leaf(long index, Hash hash) {}

  /**
   * What one transaction learned about a device's bound leaves; made inside the transaction (a
   * fresh one for every retry) and applied with {@link #apply} only after it committed.
   */
  static final class Facts {
    private final List<Leaf> bound = new ArrayList<>();
    private boolean revoked;

    /** {@code leaf} is bound at {@code index}, as the transaction read or wrote it. */
    void bound(long index, Hash leaf) {
      bound.add(new Leaf(index, leaf));
    }

    /** The device's row says it is revoked: its leaves are forgotten. */
    void revoked() {
      revoked = true;
    }
  }

  /** The latest run of one device's bound leaves: indexes {@code base} to {@code base + count}. */
  private static final class Window {
    long base;
    int count;
    byte[] leaves;

    Window(int capacity) {
      leaves = new byte[capacity * Hash.SIZE];
    }

    int capacity() {
      return leaves.length / Hash.SIZE;
    }

    boolean holds(long index, byte[] leaf) {
      if (index < base || index >= base + count) {
        return false;
      }
      int at = (int) (index - base) * Hash.SIZE;
      return Arrays.equals(leaves, at, at + Hash.SIZE, leaf, 0, Hash.SIZE);
    }
  }

  private final int max;
  private final int perDevice;
  private final LongSupplier connectionsOpened;
  private final Map<String, Window> byDevice = new LinkedHashMap<>(16, 0.75f, true);
  private long capacity;
  private long connectionsSeen;

  /**
   * @param max leaves held at most, in all devices' arrays
   * @param perDevice leaves held at most per device (at least 2, at most {@code max})
   * @param connectionsOpened the database's {@link io.haulproof.ledger.store.Db#connectionsOpened}
   */
  BoundLeaves(int max, int perDevice, LongSupplier connectionsOpened) {
    if (perDevice < 2 || perDevice > max) {
      throw new IllegalArgumentException("perDevice " + perDevice + ", want 2 to max " + max);
    }
    this.max = max;
    this.perDevice = perDevice;
    this.connectionsOpened = connectionsOpened;
    this.connectionsSeen = connectionsOpened.getAsLong();
  }

  /** Whether every one of {@code leaves} is held as bound at its index for {@code device}. */
  synchronized boolean allBound(String device, List<Leaf> leaves) {
    forgetAllIfReconnected();
    Window w = byDevice.get(device);
    if (w == null || leaves.isEmpty()) {
      return false;
    }
    byte[] leaf = new byte[Hash.SIZE];
    for (Leaf l : leaves) {
      l.hash().copyTo(leaf, 0);
      if (!w.holds(l.index(), leaf)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Applies what a committed transaction of {@code device} learned.
   *
   * @param connectionsBefore {@code connectionsOpened} read before the transaction began
   */
  synchronized void apply(String device, Facts facts, long connectionsBefore) {
    forgetAllIfReconnected();
    if (facts.revoked) {
      forget(device);
      return;
    }
    if (facts.bound.isEmpty() || connectionsBefore != connectionsSeen) {
      return;
    }
    List<Leaf> sorted = new ArrayList<>(facts.bound);
    sorted.sort(Comparator.comparingLong(Leaf::index));
    byte[] leaf = new byte[Hash.SIZE];
    for (Leaf l : sorted) {
      l.hash().copyTo(leaf, 0);
      if (!add(device, l.index(), leaf)) {
        forget(device); // a bound leaf changed: cannot be; hold nothing rather than guess
        return;
      }
    }
    evictBeyondMax(device);
  }

  /** Forgets {@code device}'s leaves. */
  synchronized void forget(String device) {
    Window w = byDevice.remove(device);
    if (w != null) {
      capacity -= w.capacity();
    }
  }

  /** Leaves held, in all devices. */
  synchronized long size() {
    return byDevice.values().stream().mapToLong(w -> w.count).sum();
  }

  /** Leaves the devices' arrays can hold now (what {@code max} bounds). */
  synchronized long capacity() {
    return capacity;
  }

  /**
   * Adds one leaf in index order: it extends the window, or is already held there, or starts a new
   * window past a gap (a lost placeholder, or leaves bound elsewhere); older leaves are ignored.
   * Returns false only if a different leaf is held at its index.
   */
  private boolean add(String device, long index, byte[] leaf) {
    Window w = byDevice.get(device);
    if (w == null) {
      w = new Window(Math.min(16, perDevice));
      capacity += w.capacity();
      byDevice.put(device, w);
    }
    if (w.count > 0 && index < w.base + w.count) {
      return index < w.base || w.holds(index, leaf);
    }
    if (w.count == 0 || index > w.base + w.count) {
      w.base = index;
      w.count = 0;
    }
    if (w.count == w.capacity()) {
      if (w.capacity() < perDevice) {
        int grown = Math.min(2 * w.capacity(), perDevice);
        capacity += grown - w.capacity();
        w.leaves = Arrays.copyOf(w.leaves, grown * Hash.SIZE);
      } else {
        int drop = w.count / 2;
        System.arraycopy(w.leaves, drop * Hash.SIZE, w.leaves, 0, (w.count - drop) * Hash.SIZE);
        w.base += drop;
        w.count -= drop;
      }
    }
    System.arraycopy(leaf, 0, w.leaves, w.count * Hash.SIZE, Hash.SIZE);
    w.count++;
    return true;
  }

  /** Drops least recently used devices other than {@code keep} while more than {@code max}. */
  private void evictBeyondMax(String keep) {
    Iterator<Map.Entry<String, Window>> it = byDevice.entrySet().iterator();
    while (capacity > max && it.hasNext()) {
      Map.Entry<String, Window> e = it.next();
      if (!e.getKey().equals(keep)) {
        capacity -= e.getValue().capacity();
        it.remove();
      }
    }
  }

  private void forgetAllIfReconnected() {
    long now = connectionsOpened.getAsLong();
    if (now != connectionsSeen) {
      byDevice.clear();
      capacity = 0;
      connectionsSeen = now;
    }
  }
}
