package io.haulproof.drivers.rfid;

import static io.haulproof.drivers.testing.Streams.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.EpcCode;
import io.haulproof.drivers.reading.Iso11784Code;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.TagRead;
import io.haulproof.drivers.reading.TirisCode;
import io.haulproof.drivers.testing.Streams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The RFID [V] vectors of DOMAIN.md section 3 and the framing rules around them. */
class RfidProtocolTest {
  static final byte[] FDXB_UART_V =
      hex(
          "02 31 37 31 41 39 32 35 33 41 33 34 38 33 30 30 31 30 30 30 30 30 30 30 30 30 30 07 F8 03");
  static final byte[] TI_MICRO_V = hex("01 02 08 32 38");
  static final byte[] A0_V = hex("A0 0A FF 81 01 00 07 00 00 00 00 CE");

  private final List<TagRead> reads = new ArrayList<>();
  private final DriverMetrics metrics = new DriverMetrics("rfid");

  @Test
  void fdxbUart_domainVector_id250000023921Country900() {
    // when
    Iso11784Code code = FdxbUartReader.decode(FDXB_UART_V);
    // then
    assertThat(code.nationalId()).isEqualTo(250000023921L);
    assertThat(code.country()).isEqualTo(900);
    assertThat(code.animal()).isTrue();
    assertThat(code.dataBlock()).isFalse();
    assertThat(code.isManufacturerCode()).isTrue();
    assertThat(code.display()).isEqualTo("900 250000023921");
  }

  @Test
  void fdxbUart_inverseXorWrong_rejected() {
    byte[] f = FDXB_UART_V.clone();
    f[28] = (byte) 0xF9;
    assertThatThrownBy(() -> FdxbUartReader.decode(f))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void tiMicro_domainVector_bccMatchesAndFrameAccepted() {
    // when
    new TiMicroReader("lf", Streams.ticking(), reads::add, metrics).feed(TI_MICRO_V);
    // then
    assertThat(TiMicroReader.bcc(TI_MICRO_V, 1, 4)).isEqualTo(0x38);
    assertThat(metrics.acceptedCount()).isEqualTo(1);
    assertThat(reads).isEmpty();
  }

  @Test
  void tiMicro_readOnlyReply_idLeastSignificantByteFirst() {
    // given a read-only reply 01 09 0C id(8, LSB first) BCC
    byte[] f = hex("01 09 0C 01 02 03 04 05 06 07 08 00");
    f[f.length - 1] = (byte) TiMicroReader.bcc(f, 1, f.length - 1);
    // when
    new TiMicroReader("lf", Streams.ticking(), reads::add, metrics).feed(f);
    // then
    TirisCode c = (TirisCode) reads.get(0).tag();
    assertThat(c.raw()).isEqualTo(0x0807060504030201L);
    assertThat(c.type()).isEqualTo('R');
  }

  @Test
  void uhfA0_domainVector_checkIsCE() {
    assertThat(UhfA0Reader.check(A0_V, 0, 11)).isEqualTo(0xCE);
    new UhfA0Reader("uhf", Streams.ticking(), reads::add, metrics).feed(A0_V);
    assertThat(metrics.acceptedCount()).isEqualTo(1);
  }

  @Test
  void uhfA0_inventoryWithA0InsidePayload_framedByLength() {
    // given an inventory reply whose EPC contains A0 bytes, preceded by a stray A0
    byte[] f = inventory(hex("A0A0A0A0 11223344 5566A0A0"), 0x5A, 1);
    byte[] stream = concat(hex("A0"), f);
    UhfA0Reader reader = new UhfA0Reader("uhf", Streams.ticking(), reads::add, metrics);
    // when: the stray A0 reads the next A0 as a length of 160 and waits; the line then goes quiet
    reader.feed(stream);
    assertThat(reads).isEmpty();
    reader.idle();
    // then
    assertThat(reads).hasSize(1);
    assertThat(metrics.rejectedCount("timeout")).isEqualTo(1);
    assertThat(reader.buffered()).isZero();
    assertThat(((EpcCode) reads.get(0).tag()).rawHex()).isEqualTo("a0a0a0a0112233445566a0a0");
    assertThat(reads.get(0).rssi().getAsInt()).isEqualTo(0x5A);
    assertThat(reads.get(0).antenna()).contains("ant2");
  }

  @Test
  void uhfA0_strayStartThenContinuousTraffic_allFramesRecoveredWithoutIdle() {
    // given
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      frames.add(inventory(hex("E2000000000000000000A0" + String.format("%02X", i)), 0x40 + i, 0));
    }
    UhfA0Reader reader = new UhfA0Reader("uhf", Streams.ticking(), reads::add, metrics);
    // when
    reader.feed(hex("A0"));
    for (byte[] f : frames) {
      reader.feed(f);
    }
    // then
    assertThat(reads).hasSize(12);
    assertThat(metrics.rejectedCount("checksum")).isEqualTo(1);
  }

  @Test
  void tirisAscii_domainLineAndLi_readAndCountedReject() {
    // when
    new TirisAsciiReader("lf", Streams.ticking(), reads::add, metrics)
        .feed("R 4095 4503599627370495\r\nLI\r\nR 12 99x\r\n".getBytes(StandardCharsets.US_ASCII));
    // then
    assertThat(reads).hasSize(1);
    TirisCode c = (TirisCode) reads.get(0).tag();
    assertThat(c.applicationCode()).isEqualTo(4095);
    assertThat(c.id()).isEqualTo(4503599627370495L);
    assertThat(c.raw()).isEqualTo(-1L);
    assertThat(metrics.rejectedCount("invalid-read")).isEqualTo(1);
    assertThat(metrics.rejectedCount("field")).isEqualTo(1);
  }

  @Test
  void fdxbUart_framesInNoiseWithStartAndEndMarks_allFoundExactlyOnce() {
    // given frames separated by noise made of 02/03 and digits
    Random rnd = new Random(11);
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      frames.add(FdxbFrames.frame(Iso11784Code.of(900 + i % 99, 1000L * i + 7, true, false)));
    }
    byte[] stream = Streams.withNoise(frames, hex("02 03 30 31 41 FF 00"), 12, rnd);
    FdxbUartReader reader = new FdxbUartReader("lf", Streams.ticking(), reads::add, metrics);
    // when
    Streams.feedSplit(reader, stream, rnd);
    // then
    assertThat(reads).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(((Iso11784Code) reads.get(i).tag()).nationalId()).isEqualTo(1000L * i + 7);
    }
  }

  @Test
  void fdxbAirFrame_roundTripAndEveryBitFlip_crcDetects() {
    // given
    Iso11784Code code = Iso11784Code.of(276, 123456789012L, true, false);
    boolean[] bits = FdxbAirFrame.encode(code);
    // then
    assertThat(FdxbAirFrame.decode(bits)).isEqualTo(code);
    for (int i = 0; i < 11 + 9 * 10; i++) { // header, code and CRC bits
      boolean[] b = bits.clone();
      b[i] = !b[i];
      assertThatThrownBy(() -> FdxbAirFrame.decode(b)).isInstanceOf(MalformedFrameException.class);
    }
  }

  /** Jazzer finding (corpus fuzz/FdxbAirFrame/finding-01-…): two frames, one tag. */
  @Test
  void fdxbAirFrame_trailerSetWithoutDataBlockFlag_rejectedAsExtension() {
    // given: a conformant frame with a trailer bit set although the data-block flag is clear
    boolean[] bits = FdxbAirFrame.encode(Iso11784Code.of(276, 123456789012L, true, false));
    bits[11 + 9 * 10 + 2] = true;
    // then
    assertThatThrownBy(() -> FdxbAirFrame.decode(bits))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("data-block");
    // while with the flag set the trailer carries data and the code is read
    boolean[] withBlock = FdxbAirFrame.encode(Iso11784Code.of(276, 123456789012L, true, true));
    withBlock[11 + 9 * 10 + 2] = true;
    assertThat(FdxbAirFrame.decode(withBlock).dataBlock()).isTrue();
  }

  @Test
  void crc16_checkValues_matchCatalogue() {
    byte[] s = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(Crc16.fdxb(s, 0, 9)).isEqualTo(0x2189);
    assertThat(Crc16.ccitt(s, 0, 9)).isEqualTo(0x31C3);
  }

  @Test
  void bde_layout_roundTripsAndRejectsHighBits() {
    BdeCode bde = new BdeCode(123, 4_000_000);
    Iso11784Code code = Iso11784Code.of(276, bde.nationalId(), false, false);
    assertThat(BdeCode.from(code)).isEqualTo(bde);
    assertThatThrownBy(() -> BdeCode.from(Iso11784Code.of(276, 1L << 35, false, false)))
        .isInstanceOf(MalformedFrameException.class);
  }

  static byte[] inventory(byte[] epc, int rssi, int ant) {
    int pc = (epc.length / 2) << 11;
    byte[] f = new byte[2 + 1 + 1 + 1 + 2 + epc.length + 1 + 1];
    f[0] = (byte) 0xA0;
    f[1] = (byte) (f.length - 2);
    f[2] = (byte) 0xFF;
    f[3] = (byte) 0x89;
    f[4] = (byte) ant;
    f[5] = (byte) (pc >> 8);
    f[6] = (byte) pc;
    System.arraycopy(epc, 0, f, 7, epc.length);
    f[7 + epc.length] = (byte) rssi;
    f[f.length - 1] = (byte) UhfA0Reader.check(f, 0, f.length - 1);
    return f;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
