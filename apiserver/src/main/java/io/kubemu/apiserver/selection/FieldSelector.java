package io.kubemu.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A field selector, as in {@code ?fieldSelector=spec.nodeName=node-1,status.phase!=Running}.
 * Like Kubernetes, only the fields a type indexes may be selected on: metadata.name and
 * metadata.namespace everywhere, spec.nodeName and status.phase on pods, the
 * involvedObject fields on events.
 */
public final class FieldSelector implements Predicate<JsonNode> {
  private static final Set<String> EVERYWHERE = Set.of("metadata.name", "metadata.namespace");

  private record Requirement(String field, String[] path, boolean equals, String value) {
    Requirement(String field, boolean equals, String value) {
      this(field, field.split("\\."), equals, value);
    }
  }

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public static FieldSelector parse(String text, ResourceType type) {
    List<Requirement> requirements = new ArrayList<>();
    if (text != null && !text.isBlank()) {
      for (String term : text.split(",")) {
        int ne = term.indexOf("!=");
        int eq = term.indexOf('=');
        if (eq <= 0 && ne <= 0) {
          throw ApiException.badRequest("invalid field selector \"" + text + "\": expected field=value or field!=value");
        }
        boolean equals = ne < 0;
        String field = term.substring(0, equals ? eq : ne).trim();
        String value = term.substring(equals ? (term.startsWith("==", eq) ? eq + 2 : eq + 1) : ne + 2).trim();
        if (!supported(field, type)) {
          throw ApiException.badRequest("field label not supported: " + field);
        }
        requirements.add(new Requirement(field, equals, value));
      }
    }
    return new FieldSelector(requirements);
  }

  private static boolean supported(String field, ResourceType type) {
    if (EVERYWHERE.contains(field)) {
      return true;
    }
    return switch (type.kind()) {
      case "Pod" -> field.equals("spec.nodeName") || field.equals("status.phase") || field.equals("spec.restartPolicy")
          || field.equals("spec.schedulerName") || field.equals("spec.serviceAccountName") || field.equals("status.podIP");
      case "Event" -> field.startsWith("involvedObject.") || field.equals("reason") || field.equals("type")
          || field.equals("source");
      case "Namespace" -> field.equals("status.phase");
      case "Secret" -> field.equals("type");
      case "Node" -> field.equals("spec.unschedulable");
      default -> false;
    };
  }

  /** The value {@code field} must have ({@code field=value}), or null when the selector requires none. */
  public String required(String field) {
    for (Requirement requirement : requirements) {
      if (requirement.equals && requirement.field.equals(field)) {
        return requirement.value;
      }
    }
    return null;
  }

  @Override
  public boolean test(JsonNode object) {
    for (Requirement requirement : requirements) {
      if (valueAt(object, requirement.path).equals(requirement.value) != requirement.equals) {
        return false;
      }
    }
    return true;
  }

  /** The field at {@code path} ({@code spec.nodeName} split at its dots) as a selector reads it: "" when absent. */
  public static String valueAt(JsonNode object, String[] path) {
    JsonNode node = object;
    for (String part : path) {
      node = node.path(part);
    }
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }
}
