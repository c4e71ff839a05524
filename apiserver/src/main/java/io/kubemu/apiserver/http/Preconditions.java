package io.kubemu.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubemu.apiserver.resource.ResourceType;
import java.util.List;

/**
 * What a write demands of the object it changes, as Kubernetes' storage preconditions: this
 * uid, this resourceVersion (empty: anything). Deletes, bindings and evictions carry them.
 */
public record Preconditions(String uid, String resourceVersion) {
  public static final Preconditions NONE = new Preconditions("", "");

  public static Preconditions of(JsonNode preconditions) {
    return new Preconditions(preconditions.path("uid").asText(""), preconditions.path("resourceVersion").asText(""));
  }

  /** 409 Conflict when {@code existing} is not the object the client means. */
  public void check(ResourceType type, String name, JsonNode existing) {
    JsonNode metadata = existing.path("metadata");
    if (!uid.isEmpty() && !uid.equals(metadata.path("uid").asText())) {
      throw new ApiException(409, "Conflict", "Precondition failed: UID in precondition: " + uid
          + ", UID in object meta: " + metadata.path("uid").asText(), type, name, List.of());
    }
    if (!resourceVersion.isEmpty() && !resourceVersion.equals(metadata.path("resourceVersion").asText())) {
      throw ApiException.conflict(type, name);
    }
  }
}
