package io.haulproof.agent.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.config.AgentConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Age of the last witness receipt, asked from the running agent's status endpoint ({@code
 * /api/status} on the configured HTTP port). WARN when the agent does not answer, has no receipt
 * yet, or the last one is older than a day (a truck offline for days is normal, but the technician
 * should know).
 */
final class ReceiptCheck implements DoctorCheck {
  static final Duration WARN_AFTER = Duration.ofHours(24);

  private final Duration timeout;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  ReceiptCheck(Duration timeout, Clock clock) {
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public List<Finding> run(AgentConfig config) {
    String host = config.http().bind().equals("0.0.0.0") ? "127.0.0.1" : config.http().bind();
    URI uri =
        URI.create(
            "http://"
                + (host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + config.http().port()
                + "/api/status");
    JsonNode status;
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
      HttpResponse<String> res =
          client.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        return List.of(Finding.warn("last receipt", uri + " answered HTTP " + res.statusCode()));
      }
      status = json.readTree(res.body());
    } catch (IOException e) {
      return List.of(
          Finding.warn(
              "last receipt",
              "the agent does not answer on "
                  + uri
                  + " (not running?): "
                  + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of(Finding.warn("last receipt", "interrupted while asking " + uri));
    }
    JsonNode receipt = status.path("last_receipt");
    if (receipt.isMissingNode() || receipt.isNull() || !receipt.hasNonNull("at")) {
      return List.of(
          Finding.warn(
              "last receipt",
              "none yet since the agent started (uplink "
                  + (status.path("outbox").path("connected").asBoolean(false)
                      ? "connected"
                      : "not connected")
                  + ")"));
    }
    Instant at;
    try {
      at = Instant.parse(receipt.get("at").asText());
    } catch (DateTimeParseException e) {
      return List.of(
          Finding.fail(
              "last receipt",
              "the agent reports an unreadable time \"" + receipt.get("at").asText() + "\""));
    }
    Duration age = Duration.between(at, clock.instant());
    String text =
        "tree size "
            + receipt.path("tree_size").asLong()
            + " witnessed at "
            + at
            + ", "
            + human(age)
            + " ago";
    return List.of(
        age.compareTo(WARN_AFTER) > 0
            ? Finding.warn("last receipt", text + ": uplink offline?")
            : Finding.ok("last receipt", text));
  }

  private static String human(Duration d) {
    if (d.isNegative()) {
      return "in the future by " + human(d.negated());
    }
    if (d.toDays() > 0) {
      return d.toDays() + " d " + d.toHoursPart() + " h";
    }
    if (d.toHours() > 0) {
      return d.toHours() + " h " + d.toMinutesPart() + " min";
    }
    return d.toMinutes() + " min " + d.toSecondsPart() + " s";
  }
}
