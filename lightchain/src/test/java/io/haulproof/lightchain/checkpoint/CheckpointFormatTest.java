package io.haulproof.lightchain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointFormatTest {
  private static final Hash ROOT = Hash.sha256(new byte[] {1, 2, 3});

  @Test
  void parse_ownText_roundTrips() {
    // given
    Checkpoint cp = new Checkpoint("haulproof.io/v1/fleet-1/truck-7", 1234, ROOT);
    // when
    Checkpoint back = Checkpoint.parse(cp.toText());
    // then
    assertThat(back).isEqualTo(cp);
    assertThat(cp.toText())
        .isEqualTo("haulproof.io/v1/fleet-1/truck-7\n1234\n" + ROOT.toBase64() + "\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "o\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", // leading zero
        "o\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", // sign
        "o\n+1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "o\n1 \nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "o\n99999999999999999999\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", // overflow
        "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n", // 31 bytes
        "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB\n", // 33 bytes
        "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\n", // non-canonical padding bits
        "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", // no final newline
        "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\next\n", // extension line
        "\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", // empty origin
        "o x\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", // space in origin
        "o\n1\n",
        "",
      })
  void parse_malformedCheckpoint_throwsFormatException(String text) {
    assertThatThrownBy(() -> Checkpoint.parse(text)).isInstanceOf(NoteFormatException.class);
  }

  @Test
  void parse_signedNoteWithUnknownSigners_keepsAllLines() {
    // given
    String text = new Checkpoint("o", 5, ROOT).toText();
    SignedNote note =
        new SignedNote(text, List.of(new NoteSignature("o", 0x01020304, Bytes.of(new byte[64]))))
            .withSignature(
                new NoteSignature("witness.example/w1", 0x0a0b0c0d, Bytes.of(new byte[72])));
    // when
    SignedNote back = SignedNote.parse(note.encode());
    // then
    assertThat(back).isEqualTo(note);
    assertThat(back.signaturesBy("witness.example/w1", 0x0a0b0c0d)).hasSize(1);
    assertThat(back.signaturesBy("witness.example/w1", 0x0a0b0c0e)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "t\n\n", // no signature line
        "t\n— o AQIDBAU=", // no newline at end
        "t\n— o AQIDBAU=\n", // no blank line
        "t\n\n-- o AQIDBAU=\n", // not an em dash
        "t\n\n— o  AQIDBAU=\n", // two spaces
        "t\n\n— o+x AQIDBAU=\n", // plus in name
        "t\n\n— o AQIDBA==\n", // only a key id
        "t\n\n— o AQIDBAU\n", // missing padding
        "t\n\n— o AQIDBAU=\n\n", // trailing blank line
        "t\r\n\n— o AQIDBAU=\n", // control character
        "t\n\n— \u00a0 AQIDBAU=\n", // no-break space name
      })
  void parse_malformedNote_throwsFormatException(String wire) {
    assertThatThrownBy(() -> SignedNote.parse(wire)).isInstanceOf(NoteFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void parse_mutatedNotes_onlyFormatExceptionEscapes(long seed) {
    // given
    Random rnd = new Random(seed);
    String wire =
        new SignedNote(
                new Checkpoint("haulproof.io/v1/f/d", 77, ROOT).toText(),
                List.of(new NoteSignature("haulproof.io/v1/f/d", 42, Bytes.of(new byte[64]))))
            .encode();
    byte[] good = wire.getBytes(StandardCharsets.UTF_8);
    int rejected = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] m = good.clone();
      int flips = 1 + rnd.nextInt(3);
      for (int f = 0; f < flips; f++) {
        m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
      }
      // when
      try {
        SignedNote note = SignedNote.parse(m);
        Checkpoint.parse(note.text());
        // then: whatever parses must re-encode to exactly the input (no two spellings of one note)
        assertThat(note.encodeUtf8()).isEqualTo(m);
      } catch (NoteFormatException e) {
        rejected++;
      }
    }
    assertThat(rejected).isPositive();
  }
}
