package io.haulproof.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the ledger answers to one HTTP request, independent of the HTTP server that sends it ({@code
 * io.haulproof.ledger.http.LedgerHttp} writes every answer one way): a status, a content type,
 * extra headers, and a body that is either complete or written in chunks as it is produced.
 */
public sealed interface HttpAnswer {
  int status();

  String contentType();

  /** Headers besides {@code Content-Type}. */
  Map<String, String> headers();

  /** A body known in full (small answers: JSON objects, notes, static files). */
  record Full(int status, String contentType, Map<String, String> headers, byte[] body)
      implements HttpAnswer {
    public Full {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * A body written as it is produced (exports, bundles), on a thread that may block: the stream
   * given to {@link Body#writeTo} applies the client's backpressure.
   */
  record Streamed(int status, String contentType, Map<String, String> headers, Body body)
      implements HttpAnswer {
    public Streamed {
      headers = Map.copyOf(headers);
    }
  }

  /** Writes a streamed body. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The refusal of a request: {@code {"error": reason}} with {@code status}. */
  static Full error(int status, String reason) {
    return json(status, Map.of("error", reason));
  }

  /** {@code body} as JSON (Jackson) with {@code status}. */
  static Full json(int status, Object body) {
    try {
      return new Full(status, "application/json", Map.of(), Json.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** {@code body} as UTF-8 text of {@code contentType} with {@code status}. */
  static Full text(int status, String contentType, String body) {
    return new Full(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  /** The mapper shared by the answers. */
  final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}
  }
}
