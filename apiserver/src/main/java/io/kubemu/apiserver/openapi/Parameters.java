package io.kubemu.apiserver.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The parameters of the REST operations, as the documents declare them inline in each
 * operation. Clients decide from these what they may send: kubectl adds
 * {@code fieldValidation=Strict} only where a PATCH operation of the kind declares it, and
 * otherwise validates on its own (which needs OpenAPI v2, which we do not serve).
 */
final class Parameters {
  static final List<String> LIST = List.of("allowWatchBookmarks", "continue", "fieldSelector", "labelSelector",
      "limit", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch");
  static final List<String> CREATE = List.of("dryRun", "fieldManager", "fieldValidation");
  static final List<String> UPDATE = CREATE;
  static final List<String> PATCH = List.of("dryRun", "fieldManager", "fieldValidation", "force");
  static final List<String> DELETE = List.of("dryRun", "gracePeriodSeconds",
      "ignoreStoreReadErrorWithClusterBreakingPotential", "orphanDependents", "propagationPolicy");
  static final List<String> LOG = List.of("container", "follow", "insecureSkipTLSVerifyBackend", "limitBytes",
      "previous", "sinceSeconds", "sinceTime", "stream", "tailLines", "timestamps");

  private final ObjectMapper json;

  Parameters(ObjectMapper json) {
    this.json = json;
  }

  /** The query parameters named, in order, as an OpenAPI parameter list. */
  ArrayNode query(List<String> names) {
    ArrayNode parameters = json.createArrayNode();
    names.forEach(name -> parameters.add(query(name)));
    return parameters;
  }

  ObjectNode query(String name) {
    return parameter(name, "query", false, typeOf(name), describe(name));
  }

  /** A path segment such as {namespace} or {name}. */
  ObjectNode path(String name, String description) {
    return parameter(name, "path", true, "string", description);
  }

  private ObjectNode parameter(String name, String in, boolean required, String type, String description) {
    ObjectNode parameter = json.createObjectNode();
    parameter.put("name", name).put("in", in);
    if (required) {
      parameter.put("required", true);
    }
    parameter.put("description", description);
    parameter.putObject("schema").put("type", type).put("uniqueItems", true);
    return parameter;
  }

  private static String typeOf(String name) {
    return switch (name) {
      case "allowWatchBookmarks", "watch", "sendInitialEvents", "orphanDependents", "force", "follow", "previous",
          "timestamps", "insecureSkipTLSVerifyBackend", "ignoreStoreReadErrorWithClusterBreakingPotential" -> "boolean";
      case "limit", "timeoutSeconds", "gracePeriodSeconds", "limitBytes", "sinceSeconds", "tailLines" -> "integer";
      default -> "string";
    };
  }

  private static String describe(String name) {
    return switch (name) {
      case "allowWatchBookmarks" -> "Ask a watch to send BOOKMARK events that carry only a newer resourceVersion.";
      case "continue" -> "The token from the previous page of a list, to get the next page.";
      case "fieldSelector" -> "Only objects whose fields match, such as metadata.name=web or spec.nodeName=node-1.";
      case "labelSelector" -> "Only objects whose labels match, such as app=web,tier!=db.";
      case "limit" -> "At most this many objects in one page of a list; the reply's continue token gets the rest.";
      case "resourceVersion" -> "Which version of the state to serve: unset for the latest, \"0\" for any, "
          + "or a version to start a watch after.";
      case "resourceVersionMatch" -> "How resourceVersion applies to a list: NotOlderThan or Exact.";
      case "sendInitialEvents" -> "Start a watch with the current objects as ADDED events, then a bookmark.";
      case "timeoutSeconds" -> "End the list or watch call after this many seconds.";
      case "watch" -> "Stream the changes to the listed objects instead of listing them.";
      case "dryRun" -> "\"All\" to check and process the request without storing its result.";
      case "fieldManager" -> "The name of the actor making the change, recorded in managedFields.";
      case "fieldValidation" -> "What to do with unknown or duplicate fields in the object: Ignore them, "
          + "Warn about them, or fail the request (Strict).";
      case "force" -> "For apply patches: take over fields that other managers own.";
      case "gracePeriodSeconds" -> "Seconds to wait before the object is deleted; 0 deletes at once.";
      case "ignoreStoreReadErrorWithClusterBreakingPotential" -> "Delete an object even if the store cannot read it.";
      case "orphanDependents" -> "Deprecated, use propagationPolicy: whether to leave the dependents behind.";
      case "propagationPolicy" -> "What happens to dependents: Orphan, Background or Foreground deletion.";
      case "pretty" -> "If 'true', indent the reply.";
      case "container" -> "The container whose log to read; defaults to the only or the default container.";
      case "follow" -> "Keep the stream open and send new log lines as they are written.";
      case "insecureSkipTLSVerifyBackend" -> "Do not verify the kubelet's serving certificate.";
      case "limitBytes" -> "Stop after this many bytes of log.";
      case "previous" -> "Read the log of the previous, terminated instance of the container.";
      case "sinceSeconds" -> "Only log lines from the last this many seconds.";
      case "sinceTime" -> "Only log lines written after this RFC 3339 time.";
      case "stream" -> "Which stream of the log: All, Stdout or Stderr.";
      case "tailLines" -> "Only the last this many lines of the log.";
      case "timestamps" -> "Prefix each log line with its RFC 3339 timestamp.";
      default -> throw new IllegalArgumentException("no such parameter: " + name);
    };
  }
}
