package io.kubemu.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386, {@code application/merge-patch+json}): objects merge key by key,
 * {@code null} removes a key, anything else (lists included) replaces what was there. What
 * {@code kubectl label}, {@code annotate} and {@code scale} send.
 */
public final class JsonMergePatch {

  private JsonMergePatch() {
  }

  /** The object with the patch applied; {@code current} is left as it was. */
  public static ObjectNode apply(ObjectNode current, JsonNode patch) {
    if (!patch.isObject()) {
      throw PatchException.badRequest(
          "invalid JSON merge patch: it must be a JSON object, not " + Json.describe(patch));
    }
    return merge(current.deepCopy(), (ObjectNode) patch);
  }

  /** Merges {@code patch} into {@code target}, which the caller owns and which is changed in place. */
  private static ObjectNode merge(ObjectNode target, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject()) {
        JsonNode existing = target.get(key);
        ObjectNode into = existing != null && existing.isObject()
            ? (ObjectNode) existing
            : JsonNodeFactory.instance.objectNode();
        target.set(key, merge(into, (ObjectNode) value));
      } else {
        target.set(key, value.deepCopy());
      }
    }
    return target;
  }
}
