package io.haulproof.ledger.http;

import io.haulproof.ledger.DashboardApi;
import io.haulproof.ledger.HttpAnswer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one way the ledger's HTTP server writes an {@link HttpAnswer}: status, content type, the
 * answer's headers and the same security headers on every answer, then the body, whole or in
 * chunks.
 *
 * <p>Called on a worker thread; every response operation is run on the request's event-loop
 * context. A streamed body goes out in chunks of {@value #CHUNK} bytes with at most one chunk
 * waiting for the socket, so a slow client slows the producer (the database reads) instead of
 * filling memory; a client that reads nothing for {@link #STALL} fails the write. A failure after
 * the status was sent resets the connection, so the client sees a broken transfer, never a short
 * answer that looks complete.
 */
final class Responses {
  static final int CHUNK = 64 * 1024;
  static final Duration STALL = Duration.ofSeconds(60);

  private Responses() {}

  /** Writes {@code a}; blocks (worker thread) until a streamed body is written out. */
  static void send(Context context, HttpServerResponse response, HttpAnswer a) throws IOException {
    if (a instanceof HttpAnswer.Full f) {
      on(context, () -> head(response, a).end(Buffer.buffer(f.body())));
    } else if (a instanceof HttpAnswer.Streamed s) {
      await(
          on(
              context,
              () -> {
                head(response, a).setChunked(true);
                return Future.succeededFuture();
              }));
      ChunkStream out = new ChunkStream(context, response);
      s.body().writeTo(out);
      out.finish(); // only after the whole body: a failure above must not end the answer
    }
  }

  /** Breaks off an answer whose status is already sent (the client sees the transfer fail). */
  static void abort(Context context, HttpServerResponse response) {
    context.runOnContext(v -> response.reset());
  }

  /** Whether the status line of {@code response} is already sent. */
  static boolean started(HttpServerResponse response) {
    return response.headWritten();
  }

  private static HttpServerResponse head(HttpServerResponse r, HttpAnswer a) {
    r.setStatusCode(a.status())
        .putHeader("Content-Type", a.contentType())
        .putHeader("Content-Security-Policy", DashboardApi.CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "no-store");
    a.headers().forEach(r::putHeader);
    return r;
  }

  /** Runs {@code op} on {@code context}; the future completes with the operation's future. */
  private static CompletableFuture<Void> on(Context context, Supplier<Future<Void>> op) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Handler<Void> run =
        v -> {
          try {
            op.get()
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        done.complete(null);
                      } else {
                        done.completeExceptionally(ar.cause());
                      }
                    });
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        };
    if (Vertx.currentContext() == context) {
      run.handle(null); // already on the request's event loop (refusals)
    } else {
      context.runOnContext(run);
    }
    return done;
  }

  private static void await(CompletableFuture<Void> f) throws IOException {
    try {
      f.get(STALL.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the answer");
    } catch (TimeoutException e) {
      throw new IOException("the client read nothing for " + STALL.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IOException("cannot write the answer: " + e.getCause().getMessage(), e);
    }
  }

  /** The chunked body: buffers {@value #CHUNK} bytes, one chunk in flight at a time. */
  private static final class ChunkStream extends OutputStream {
    private final Context context;
    private final HttpServerResponse response;
    private byte[] buf = new byte[CHUNK];
    private int len;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    ChunkStream(Context context, HttpServerResponse response) {
      this.context = context;
      this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
      if (len == buf.length) {
        push();
      }
      buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
      while (n > 0) {
        if (len == buf.length) {
          push();
        }
        int k = Math.min(n, buf.length - len);
        System.arraycopy(b, off, buf, len, k);
        len += k;
        off += k;
        n -= k;
      }
    }

    /** Sends the buffered bytes once the previous chunk is written out. */
    private void push() throws IOException {
      await(inFlight);
      Buffer chunk = Buffer.buffer(len == buf.length ? buf : java.util.Arrays.copyOf(buf, len));
      buf = new byte[CHUNK];
      len = 0;
      inFlight = on(context, () -> response.write(chunk));
    }

    @Override
    public void flush() {
      // chunks go out when full; the rest at close
    }

    /** Sends the rest and ends the answer. */
    void finish() throws IOException {
      if (len > 0) {
        push();
      }
      await(inFlight);
      await(on(context, response::end));
    }
  }
}
