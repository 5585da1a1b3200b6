package io.haulproof.drivers.rfid;

import io.haulproof.drivers.reading.TagId;
import io.haulproof.drivers.reading.TagRead;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Merges repeated reads of one tag into a single read with the read count and the best RSSI.
 *
 * <p>A burst stays open while reads of the same tag keep arriving within {@code window} of the
 * previous one (by the monotonic stamp); {@link #poll} emits bursts that have been quiet for longer
 * than the window. The emitted read has the first read's stamp, the summed count, the highest RSSI
 * and the antenna of that best read. At most {@code maxOpen} bursts are held; beyond that the
 * oldest is emitted early, so memory is bounded.
 */
public final class TagDebouncer {
  private final long windowNanos;
  private final int maxOpen;
  private final Map<TagId, Burst> open = new LinkedHashMap<>();

  public TagDebouncer(Duration window, int maxOpen) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window " + window + " must be positive");
    }
    if (maxOpen < 1) {
      throw new IllegalArgumentException("maxOpen " + maxOpen + " < 1");
    }
    this.windowNanos = window.toNanos();
    this.maxOpen = maxOpen;
  }

  /** Adds a raw read; returns bursts closed early to keep the bound. */
  public List<TagRead> accept(TagRead read) {
    List<TagRead> out = new ArrayList<>(poll(read.stamp().monotonicNanos()));
    Burst b = open.get(read.tag());
    if (b == null) {
      if (open.size() >= maxOpen) {
        Iterator<Map.Entry<TagId, Burst>> it = open.entrySet().iterator();
        out.add(it.next().getValue().toRead());
        it.remove();
      }
      open.put(read.tag(), new Burst(read));
    } else {
      b.merge(read);
    }
    return out;
  }

  /** Emits every burst whose last read is more than the window before {@code nowNanos}. */
  public List<TagRead> poll(long nowNanos) {
    List<TagRead> out = new ArrayList<>();
    Iterator<Map.Entry<TagId, Burst>> it = open.entrySet().iterator();
    while (it.hasNext()) {
      Burst b = it.next().getValue();
      if (nowNanos - b.lastNanos > windowNanos) {
        out.add(b.toRead());
        it.remove();
      }
    }
    return out;
  }

  /** Emits everything still open. */
  public List<TagRead> flush() {
    List<TagRead> out = new ArrayList<>();
    open.values().forEach(b -> out.add(b.toRead()));
    open.clear();
    return out;
  }

  private static final class Burst {
    final TagRead first;
    TagRead best;
    long lastNanos;
    int count;

    Burst(TagRead r) {
      first = r;
      best = r;
      lastNanos = r.stamp().monotonicNanos();
      count = r.count();
    }

    void merge(TagRead r) {
      count += r.count();
      lastNanos = Math.max(lastNanos, r.stamp().monotonicNanos());
      if (r.rssi().isPresent()
          && (best.rssi().isEmpty() || r.rssi().getAsInt() > best.rssi().getAsInt())) {
        best = r;
      }
    }

    TagRead toRead() {
      OptionalInt rssi = best.rssi();
      Optional<String> antenna = best.antenna();
      return new TagRead(
          first.source(), first.stamp(), first.status(), first.tag(), count, rssi, antenna);
    }
  }
}
