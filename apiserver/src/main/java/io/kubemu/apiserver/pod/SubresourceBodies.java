package io.kubemu.apiserver.pod;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import java.util.List;

/** The checks every pod subresource body shares: its kind and that it names the pod of the URL. */
final class SubresourceBodies {
  private SubresourceBodies() {}

  /**
   * The name the body gives; 400 when the body is another kind or names another pod than
   * {@code urlName} (null: the URL names none, as {@code POST namespaces/ns/bindings}).
   */
  static String checkedName(ObjectNode body, String kind, List<String> apiVersions, String urlName) {
    String bodyKind = body.path("kind").asText("");
    String apiVersion = body.path("apiVersion").asText("");
    if (!bodyKind.isEmpty() && !bodyKind.equals(kind) || !apiVersion.isEmpty() && !apiVersions.contains(apiVersion)) {
      throw ApiException.badRequest("the body of the request must be a " + kind + " (" + String.join(" or ", apiVersions)
          + "), not a " + bodyKind + " (" + apiVersion + ")");
    }
    String name = body.path("metadata").path("name").asText("");
    if (urlName != null && !urlName.equals(name)) {
      throw ApiException.badRequest("name in URL does not match name in " + kind + " object");
    }
    return name;
  }

  /** What Kubernetes answers a subresource create: 201 and a Status Success. */
  static ObjectNode success() {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success").put("code", 201);
    return status;
  }
}
