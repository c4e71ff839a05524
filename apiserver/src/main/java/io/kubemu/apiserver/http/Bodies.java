package io.kubemu.apiserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubemu.apiserver.protobuf.KubeProtobuf;
import io.kubemu.apiserver.protobuf.ProtobufBodyException;
import io.kubemu.apiserver.resource.ResourceType;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;

/** Reads request bodies in the formats clients send: JSON, YAML and Kubernetes protobuf. */
public final class Bodies {
  private final ObjectMapper json;
  private final YAMLMapper yaml = new YAMLMapper();

  public Bodies(ObjectMapper json) {
    this.json = json;
  }

  /** The object in the body of a create or update. */
  public ObjectNode read(RoutingContext ctx, ResourceType type) {
    return read(ctx, type.kind());
  }

  /** The {@code kind} object in the body of a request, e.g. a subresource's Binding or Eviction. */
  public ObjectNode read(RoutingContext ctx, String kind) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiException.badRequest("the body of the request was empty: expected a " + kind);
    }
    return parse(contentType(ctx), body.getBytes());
  }

  /** The DeleteOptions of a delete, if the client sent any. */
  public ObjectNode readOptional(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return json.createObjectNode();
    }
    return parse(contentType(ctx), body.getBytes());
  }

  private static String contentType(RoutingContext ctx) {
    String header = ctx.request().getHeader("Content-Type");
    if (header == null || header.isBlank()) {
      return "application/json";
    }
    return header.split(";")[0].trim().toLowerCase();
  }

  private ObjectNode parse(String contentType, byte[] bytes) {
    if (KubeProtobuf.isProtobuf(contentType)) {
      // kubectl create deployment|namespace|service|configmap|secret send protobuf.
      try {
        return KubeProtobuf.toJson(bytes);
      } catch (ProtobufBodyException e) {
        throw e.statusCode() == 415 ? ApiException.unsupportedMediaType(e.getMessage()) : ApiException.badRequest(e.getMessage());
      }
    }
    ObjectMapper mapper = switch (contentType) {
      case "application/json", "*/*" -> json;
      case "application/yaml", "application/x-yaml", "text/yaml" -> yaml;
      default -> throw ApiException.unsupportedMediaType("the body of the request was in an unknown format - accepted media types include: "
          + String.join(", ", List.of("application/json", "application/yaml", KubeProtobuf.MEDIA_TYPE)));
    };
    try {
      JsonNode node = mapper.readTree(bytes);
      if (!(node instanceof ObjectNode object)) {
        throw ApiException.badRequest("the body of the request must be an object");
      }
      return object;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the body of the request could not be decoded: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the body of the request could not be decoded: " + e.getMessage());
    }
  }
}
