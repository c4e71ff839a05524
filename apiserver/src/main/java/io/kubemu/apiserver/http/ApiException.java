package io.kubemu.apiserver.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;
import java.util.List;

/**
 * A request the API refuses, with everything a Kubernetes {@code Status} says about it: the
 * HTTP code, the reason kubectl and client-go switch on (NotFound, AlreadyExists, Conflict,
 * Invalid, Expired...), a message that tells the user what to fix, and which object.
 */
public final class ApiException extends RuntimeException {
  private final int code;
  private final String reason;
  private final String name;
  private final ResourceType type;
  /** What details.kind says: the resource ("deployments"), or for Invalid the kind ("Deployment"). */
  private final String detailsKind;
  private final List<Cause> causes;

  /** One field-level reason for a 422 Invalid. */
  public record Cause(String reason, String message, String field) {}

  public ApiException(int code, String reason, String message, ResourceType type, String name, List<Cause> causes) {
    this(code, reason, message, type, type == null ? null : type.resource(), name, causes);
  }

  private ApiException(int code, String reason, String message, ResourceType type, String detailsKind, String name,
      List<Cause> causes) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
    this.type = type;
    this.detailsKind = detailsKind;
    this.name = name;
    this.causes = causes;
  }

  public static ApiException notFound(ResourceType type, String name) {
    return new ApiException(404, "NotFound", type.qualifiedResource() + " \"" + name + "\" not found", type, name, List.of());
  }

  public static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(409, "AlreadyExists", type.qualifiedResource() + " \"" + name + "\" already exists",
        type, name, List.of());
  }

  public static ApiException conflict(ResourceType type, String name) {
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedResource() + " \""
        + name + "\": the object has been modified; please apply your changes to the latest version and try again",
        type, name, List.of());
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, null, null, List.of());
  }

  /**
   * 422: the object breaks Kubernetes' rules, one cause per broken rule. The message is
   * kube-apiserver's, {@code Deployment.apps "web" is invalid: <field>: <problem>}, several
   * (distinct) problems in brackets; details name the kind, which kubectl prints as
   * {@code The Deployment "web" is invalid: ...}.
   */
  public static ApiException invalid(ResourceType type, String name, List<Cause> causes) {
    List<String> problems = causes.stream().map(cause -> cause.field() + ": " + cause.message()).distinct().toList();
    String kind = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
    String message = kind + " \"" + name + "\" is invalid";
    if (!problems.isEmpty()) {
      message += ": " + (problems.size() == 1 ? problems.get(0) : "[" + String.join(", ", problems) + "]");
    }
    return new ApiException(422, "Invalid", message, type, type.kind(), name, causes);
  }

  /** 410: the requested resourceVersion is older than the history kept; clients list again. */
  public static ApiException expired(String message) {
    return new ApiException(410, "Expired", message, null, null, List.of());
  }

  public static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "MethodNotAllowed", message, null, null, List.of());
  }

  public static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, "UnsupportedMediaType", message, null, null, List.of());
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(413, "RequestEntityTooLarge", message, null, null, List.of());
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, "ServiceUnavailable", message, null, null, List.of());
  }

  public static ApiException internal(String message) {
    return new ApiException(500, "InternalError", message, null, null, List.of());
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** The {@code Status} object a client receives. */
  public ObjectNode toStatus() {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure").put("message", getMessage());
    if (!reason.isEmpty()) {
      status.put("reason", reason); // no reason: Kubernetes' StatusReasonUnknown, e.g. a kubelet that did not answer
    }
    if (type != null || name != null || !causes.isEmpty()) {
      ObjectNode details = status.putObject("details");
      if (name != null) {
        details.put("name", name);
      }
      if (type != null) {
        if (!type.group().isEmpty()) {
          details.put("group", type.group());
        }
        details.put("kind", detailsKind);
      }
      for (Cause cause : causes) {
        details.withArray("causes").addObject()
            .put("reason", cause.reason()).put("message", cause.message()).put("field", cause.field());
      }
    }
    status.put("code", code);
    return status;
  }
}
