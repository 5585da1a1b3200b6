package io.haulproof.drivers.reading;

/** Where a transport delivers bytes: a framer or stream decoder. */
public interface ByteSink {
  /** Bytes as they arrived, in any split. */
  void feed(byte[] data, int off, int n);

  /** The line has been quiet for the transport's gap time. */
  default void idle() {}

  /** Adapts a {@link ByteFramer} (its {@link ByteFramer#idle} drops a stalled partial frame). */
  static ByteSink of(ByteFramer framer) {
    return new ByteSink() {
      @Override
      public void feed(byte[] data, int off, int n) {
        framer.feed(data, off, n);
      }

      @Override
      public void idle() {
        framer.idle();
      }
    };
  }
}
