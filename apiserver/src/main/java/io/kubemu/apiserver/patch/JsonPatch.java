package io.kubemu.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.CompatibilityFlags;
import com.flipkart.zjsonpatch.InvalidJsonPatchException;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import java.util.EnumSet;

/**
 * JSON patch (RFC 6902, {@code application/json-patch+json}): a list of add, remove, replace,
 * move, copy and test operations, applied all or nothing. zjsonpatch does the work; this class
 * turns its failures into messages that name the operation and the path.
 */
public final class JsonPatch {
  /** RFC 6902 strictly: removing a key that is not there is an error, as it is for Kubernetes. */
  private static final EnumSet<CompatibilityFlags> RFC_6902 = EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

  private JsonPatch() {
  }

  /** The object with every operation applied; {@code current} is left as it was. */
  public static ObjectNode apply(ObjectNode current, JsonNode patch) {
    if (!patch.isArray()) {
      throw PatchException.badRequest(
          "invalid JSON patch: it must be a list of operations, not " + Json.describe(patch));
    }
    try {
      com.flipkart.zjsonpatch.JsonPatch.validate(patch, RFC_6902);
    } catch (InvalidJsonPatchException e) {
      throw PatchException.badRequest("invalid JSON patch: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw PatchException.badRequest("invalid JSON patch: every path and from must be a JSON pointer"
          + " such as /spec/replicas (" + e.getMessage() + ")");
    }
    // One operation at a time, so a failure can say which one and what the object held just before it.
    JsonNode patched = current;
    for (int i = 0; i < patch.size(); i++) {
      JsonNode operation = patch.get(i);
      try {
        patched = com.flipkart.zjsonpatch.JsonPatch.apply(single(operation), patched, RFC_6902);
      } catch (JsonPatchApplicationException e) {
        throw PatchException.invalid(explain(i, operation, patched, e));
      }
    }
    if (!patched.isObject()) {
      throw PatchException.invalid("the JSON patch replaces the whole object with " + Json.describe(patched));
    }
    return patched == current ? current.deepCopy() : (ObjectNode) patched;
  }

  private static JsonNode single(JsonNode operation) {
    return JsonNodeFactory.instance.arrayNode().add(operation);
  }

  private static String explain(int index, JsonNode operation, JsonNode before, JsonPatchApplicationException e) {
    String op = operation.path("op").asText();
    String path = operation.path("path").asText();
    String which = "operation " + (index + 1) + " (" + op + " " + path + ")";
    if (op.equals("test")) {
      JsonNode actual = before.at(path);
      String found = actual.isMissingNode() ? "nothing is there" : "the value is " + Json.quote(actual);
      return "testing value " + path + " failed: " + which + " expects " + Json.quote(operation.path("value"))
          + " but " + found;
    }
    return which + " does not apply: " + e.getMessage();
  }
}
