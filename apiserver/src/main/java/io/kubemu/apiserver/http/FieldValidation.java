package io.kubemu.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.openapi.OpenApi;
import io.kubemu.apiserver.resource.ResourceType;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The {@code fieldValidation} query parameter: with {@code Strict} (what kubectl sends once
 * the OpenAPI declares it) a field the schema does not know is a 400, as in Kubernetes; with
 * {@code Warn}, the default, the request goes through with a {@code Warning} header; with
 * {@code Ignore} nothing is checked.
 */
public final class FieldValidation {
  private final OpenApi openApi;

  public FieldValidation(OpenApi openApi) {
    this.openApi = openApi;
  }

  /** Returns the object if it may be written as the request asks, or throws 400. */
  public ObjectNode check(RoutingContext ctx, ResourceType type, ObjectNode object) {
    String mode = ctx.request().getParam("fieldValidation", "Warn");
    if (mode.equalsIgnoreCase("Ignore")) {
      return object;
    }
    if (!mode.equalsIgnoreCase("Strict") && !mode.equalsIgnoreCase("Warn")) {
      throw ApiException.badRequest("fieldValidation must be one of Ignore, Warn or Strict, not \"" + mode + "\"");
    }
    List<String> unknown = openApi.unknownFields(type.apiVersion(), type.kind(), object);
    if (unknown.isEmpty()) {
      return object;
    }
    if (mode.equalsIgnoreCase("Strict")) {
      throw ApiException.badRequest(OpenApi.strictDecodingError(type.kind(), type.version(), unknown));
    }
    for (String field : unknown) {
      ctx.response().headers().add("Warning", "299 - \"unknown field \\\"" + field + "\\\"\"");
    }
    return object;
  }
}
