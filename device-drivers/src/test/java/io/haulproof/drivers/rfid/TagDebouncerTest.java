package io.haulproof.drivers.rfid;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.reading.EpcCode;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.TagRead;
import io.haulproof.lightchain.bytes.Bytes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TagDebouncerTest {
  private static final long MS = 1_000_000;

  private static TagRead read(String epc, long ms, int rssi, String ant) {
    return TagRead.single(
        "uhf",
        new Stamp(ms * MS, Instant.EPOCH),
        new EpcCode(Bytes.fromHex(epc)),
        OptionalInt.of(rssi),
        Optional.of(ant));
  }

  @Test
  void debouncer_burstOfOneTag_oneReadWithCountAndBestRssi() {
    // given
    TagDebouncer d = new TagDebouncer(Duration.ofMillis(500), 16);
    List<TagRead> out = new ArrayList<>();
    // when
    out.addAll(d.accept(read("e200aa", 0, 40, "ant1")));
    out.addAll(d.accept(read("e200aa", 300, 70, "ant2")));
    out.addAll(d.accept(read("e200bb", 400, 10, "ant1")));
    out.addAll(d.accept(read("e200aa", 700, 55, "ant1")));
    out.addAll(d.poll(1100 * MS));
    // then: aa still open at 1100 (last read 700), bb closed (last 400)
    assertThat(out).hasSize(1);
    assertThat(out.get(0).tag().rawHex()).isEqualTo("e200bb");
    List<TagRead> rest = d.poll(1300 * MS);
    assertThat(rest).hasSize(1);
    TagRead aa = rest.get(0);
    assertThat(aa.count()).isEqualTo(3);
    assertThat(aa.rssi().getAsInt()).isEqualTo(70);
    assertThat(aa.antenna()).contains("ant2");
    assertThat(aa.stamp().monotonicNanos()).isZero();
  }

  @Test
  void debouncer_sameTagAfterGap_twoReads() {
    TagDebouncer d = new TagDebouncer(Duration.ofMillis(100), 16);
    List<TagRead> out = new ArrayList<>(d.accept(read("01", 0, 1, "a")));
    out.addAll(d.accept(read("01", 500, 1, "a")));
    out.addAll(d.flush());
    assertThat(out).extracting(TagRead::count).containsExactly(1, 1);
  }

  @Test
  void debouncer_moreTagsThanBound_oldestEmittedEarly() {
    TagDebouncer d = new TagDebouncer(Duration.ofSeconds(10), 2);
    d.accept(read("01", 0, 1, "a"));
    d.accept(read("02", 1, 1, "a"));
    List<TagRead> early = d.accept(read("03", 2, 1, "a"));
    assertThat(early).extracting(r -> r.tag().rawHex()).containsExactly("01");
  }
}
