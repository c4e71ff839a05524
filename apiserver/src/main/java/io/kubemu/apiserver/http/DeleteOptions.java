package io.kubemu.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.UnaryOperator;

/**
 * How a client asks for a delete: the grace period, the propagation policy
 * (Background, Foreground, Orphan) and preconditions on the object's uid and resourceVersion.
 * Sent as a DeleteOptions body or as query parameters; a pods/eviction carries one inside.
 *
 * @param gracePeriodSeconds null: the object's own default
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, Preconditions preconditions) {

  /** {@code body} may be empty; {@code query} gives a query parameter or null. */
  public static DeleteOptions from(JsonNode body, UnaryOperator<String> query) {
    Long grace = body.hasNonNull("gracePeriodSeconds") ? Long.valueOf(body.get("gracePeriodSeconds").asLong())
        : query.apply("gracePeriodSeconds") != null
            ? Long.valueOf(ResourceHandler.parseLong(query.apply("gracePeriodSeconds"), "gracePeriodSeconds")) : null;
    String propagation = body.path("propagationPolicy").asText(
        query.apply("propagationPolicy") == null ? "" : query.apply("propagationPolicy"));
    return new DeleteOptions(grace, propagation, Preconditions.of(body.path("preconditions")));
  }

  public DeleteOptions withPreconditions(Preconditions newPreconditions) {
    return new DeleteOptions(gracePeriodSeconds, propagationPolicy, newPreconditions);
  }
}
