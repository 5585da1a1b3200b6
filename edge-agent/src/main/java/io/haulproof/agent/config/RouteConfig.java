package io.haulproof.agent.config;

/**
 * The current tour and crew, recorded in every collection event; management may change them per
 * shift.
 *
 * @param tour route or tour id
 * @param crew crew id
 */
public record RouteConfig(String tour, String crew) {
  public RouteConfig {
    tour = tour == null ? null : Check.id("tour", tour);
    crew = crew == null ? null : Check.id("crew", crew);
  }

  public static RouteConfig defaults() {
    return new RouteConfig(null, null);
  }
}
