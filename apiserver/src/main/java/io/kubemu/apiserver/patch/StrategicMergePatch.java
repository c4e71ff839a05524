package io.kubemu.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}), what {@code kubectl apply},
 * {@code set image}, {@code cordon} and {@code rollout restart} send. Like a JSON merge patch, but
 * a list tagged "merge" in {@link PatchStrategies} is merged item by item (containers by name, ports
 * by containerPort, finalizers by value) instead of being replaced, and the patch may carry
 * directives:
 * <ul>
 *   <li>{@code "$patch": "replace"} in a map replaces the map; as a list item it replaces the list.
 *   <li>{@code "$patch": "delete"} in a map removes it; in a list item it removes the item with that merge key.
 *   <li>{@code "$setElementOrder/<list>": [...]} gives the order of the list after the merge.
 *   <li>{@code "$retainKeys": [...]} removes every key of the live map that is not listed.
 *   <li>{@code "$deleteFromPrimitiveList/<list>": [...]} removes those values from a list of primitives.
 *   <li>{@code null} removes a field.
 * </ul>
 * The behaviour, the resulting list order included, follows apimachinery's strategicpatch as the
 * apiserver runs it.
 */
public final class StrategicMergePatch {
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ELEMENT_ORDER = "$setElementOrder/";
  private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String kind;

  private StrategicMergePatch(String kind) {
    this.kind = kind;
  }

  /**
   * The object with the patch applied; {@code current} is left as it was.
   *
   * @param kind the object's kind, which tells which lists merge; a kind that {@link PatchStrategies}
   *     does not know is refused, as Kubernetes refuses strategic merge patches of custom resources
   */
  public static ObjectNode apply(ObjectNode current, JsonNode patch, String kind) {
    if (!PatchStrategies.knows(kind)) {
      throw PatchException.unsupportedMediaType("strategic merge patch is not supported for kind " + kind
          + ": send application/merge-patch+json or application/json-patch+json");
    }
    if (!patch.isObject()) {
      throw PatchException.badRequest(
          "invalid strategic merge patch: it must be a JSON object, not " + Json.describe(patch));
    }
    return new StrategicMergePatch(kind).mergeObject(current.deepCopy(), (ObjectNode) patch, "");
  }

  /** Merges {@code patch} into {@code target}, which is ours to change; returns the merged map. */
  private ObjectNode mergeObject(ObjectNode target, ObjectNode patch, String path) {
    String directive = directiveOf(patch);
    if (directive != null) {
      switch (directive) {
        case "replace" -> {
          ObjectNode replacement = patch.deepCopy();
          replacement.remove(PATCH);
          return mergeObject(NODES.objectNode(), replacement, path);
        }
        case "delete" -> {
          return NODES.objectNode();
        }
        case "merge" -> {
          // The default for a map, said out loud.
        }
        default -> throw unknownPatchType(directive, patch);
      }
    }
    retainKeys(target, patch);
    Set<String> ordered = mergeOrderedLists(target, patch, path);
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String key = field.getKey();
      if (key.equals(PATCH) || key.equals(RETAIN_KEYS) || key.startsWith(SET_ELEMENT_ORDER) || ordered.contains(key)) {
        continue;
      }
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        deleteFromPrimitiveList(target, key, field.getValue());
      } else {
        mergeField(target, key, field.getValue(), child(path, key));
      }
    }
    return target;
  }

  private void mergeField(ObjectNode target, String key, JsonNode value, String path) {
    JsonNode existing = target.get(key);
    if (value.isNull() || "delete".equals(directiveOf(value))) {
      target.remove(key);
    } else if (existing == null) {
      JsonNode created = fresh(value, path);
      // Removals from a field that is not there leave it out rather than create it empty.
      boolean onlyRemovals = created.isContainerNode() && created.isEmpty() && !value.isEmpty();
      if (!onlyRemovals) {
        target.set(key, created);
      }
    } else if (existing.getNodeType() != value.getNodeType()) {
      target.set(key, fresh(value, path));
    } else if (value.isObject()) {
      boolean replaces = strategy(path).map(PatchStrategies.Strategy::replaces).orElse(false);
      target.set(key, replaces ? fresh(value, path) : mergeObject((ObjectNode) existing, (ObjectNode) value, path));
    } else if (value.isArray()) {
      target.set(key, mergeList((ArrayNode) existing, (ArrayNode) value, path));
    } else {
      target.set(key, value.deepCopy());
    }
  }

  /** A patch value where the object has nothing to merge with: directives applied, nulls dropped. */
  private JsonNode fresh(JsonNode value, String path) {
    if (value.isObject()) {
      return mergeObject(NODES.objectNode(), (ObjectNode) value, path);
    }
    if (value.isArray()) {
      return mergeList(NODES.arrayNode(), (ArrayNode) value, path);
    }
    return value.deepCopy();
  }

  private ArrayNode mergeList(ArrayNode target, ArrayNode patch, String path) {
    Optional<PatchStrategies.Strategy> merge = strategy(path).filter(PatchStrategies.Strategy::merges);
    if (merge.isEmpty()) {
      ArrayNode replacement = NODES.arrayNode();
      patch.forEach(item -> replacement.add(fresh(item, path)));
      return replacement;
    }
    boolean ofObjects = checkElements(target, patch, path);
    if (ofObjects) {
      return mergeObjectList(target, patch, merge.get().mergeKey(), path);
    }
    List<JsonNode> merged = new ArrayList<>();
    for (JsonNode item : concat(target, patch)) {
      if (merged.stream().noneMatch(kept -> Json.same(kept, item))) {
        merged.add(item.deepCopy());
      }
    }
    return ordered(merged, elements(patch), elements(target), null);
  }

  private ArrayNode mergeObjectList(ArrayNode target, ArrayNode patch, String mergeKey, String path) {
    if (mergeKey == null) {
      throw PatchException.badRequest("cannot merge lists without merge key for " + path);
    }
    List<JsonNode> items = elements(target);
    List<JsonNode> patchItems = new ArrayList<>();
    boolean replace = false;
    for (JsonNode item : patch) {
      String directive = directiveOf(item);
      if (directive == null) {
        patchItems.add(item);
        continue;
      }
      switch (directive) {
        case "delete" -> {
          JsonNode key = requireMergeKey(item, mergeKey);
          items.removeIf(live -> Json.same(live.get(mergeKey), key));
        }
        case "replace" -> replace = true;
        case "merge" -> throw PatchException.badRequest("merging lists cannot yet be specified in the patch");
        default -> throw unknownPatchType(directive, item);
      }
    }
    if (replace) {
      ArrayNode replacement = NODES.arrayNode();
      patchItems.forEach(item -> replacement.add(fresh(item, path)));
      return replacement;
    }
    List<JsonNode> liveOrder = List.copyOf(items);
    for (JsonNode item : patchItems) {
      requireMergeKey(item, mergeKey);
      int index = indexOf(items, item, mergeKey);
      if (index >= 0) {
        items.set(index, mergeObject((ObjectNode) items.get(index), (ObjectNode) item, path));
      } else {
        items.add(fresh(item, path));
      }
    }
    return ordered(items, patchItems, liveOrder, mergeKey);
  }

  /**
   * Merges each list that has a {@code $setElementOrder/<list>} directive and puts it in that order;
   * returns the names of those lists so the caller does not merge them again.
   */
  private Set<String> mergeOrderedLists(ObjectNode target, ObjectNode patch, String path) {
    Set<String> done = new HashSet<>();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (!field.getKey().startsWith(SET_ELEMENT_ORDER)) {
        continue;
      }
      String list = field.getKey().substring(SET_ELEMENT_ORDER.length());
      JsonNode order = field.getValue();
      if (list.isEmpty() || !order.isArray()) {
        throw PatchException.badRequest("invalid patch format of setElementOrder list: " + field.getKey()
            + " must name a list and hold a list");
      }
      String listPath = child(path, list);
      String mergeKey = strategy(listPath).map(PatchStrategies.Strategy::mergeKey).orElse(null);
      JsonNode existing = target.get(list);
      JsonNode patchList = patch.get(list);
      if (existing != null && !existing.isArray() || patchList != null && !patchList.isArray()) {
        throw PatchException.badRequest("invalid patch format of setElementOrder list: " + list + " is not a list");
      }
      if (mergeKey != null) {
        order.forEach(item -> requireMergeKey(item, mergeKey));
      }
      checkOrder((ArrayNode) patchList, (ArrayNode) order, mergeKey);
      if (existing == null && patchList == null) {
        continue;
      }
      JsonNode merged = existing == null ? fresh(patchList, listPath)
          : patchList == null ? existing
          : mergeList((ArrayNode) existing, (ArrayNode) patchList, listPath);
      List<JsonNode> liveOrder = existing == null ? List.of() : elements(existing);
      target.set(list, ordered(elements(merged), elements(order), liveOrder, mergeKey));
      done.add(list);
    }
    return done;
  }

  /** The items of the patch list must appear in $setElementOrder, in the same relative order. */
  private static void checkOrder(ArrayNode patchList, ArrayNode order, String mergeKey) {
    if (patchList == null) {
      return;
    }
    List<JsonNode> items = elements(patchList);
    items.removeIf(item -> directiveOf(item) != null);
    int matched = 0;
    for (int i = 0; i < order.size() && matched < items.size(); i++) {
      if (Json.same(identity(items.get(matched), mergeKey), identity(order.get(i), mergeKey))) {
        matched++;
      }
    }
    if (matched < items.size()) {
      throw PatchException.badRequest("The order in patch list:\n" + Json.quote(patchList)
          + "\n doesn't match $setElementOrder list:\n" + Json.quote(order) + "\n");
    }
  }

  /** {@code $retainKeys}: the live map keeps only the listed keys, and the patch may set only those. */
  private static void retainKeys(ObjectNode target, ObjectNode patch) {
    JsonNode listed = patch.get(RETAIN_KEYS);
    if (listed == null) {
      return;
    }
    if (!listed.isArray() || elements(listed).stream().anyMatch(key -> !key.isTextual())) {
      throw PatchException.badRequest("invalid patch format of retainKeys: " + RETAIN_KEYS
          + " must be a list of field names, not " + Json.quote(listed));
    }
    Set<String> retained = new HashSet<>();
    listed.forEach(key -> retained.add(key.asText()));
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String key = field.getKey();
      boolean directive = key.startsWith("$");
      if (!directive && !field.getValue().isNull() && !retained.contains(key)) {
        throw PatchException.badRequest("invalid patch format of retainKeys: the patch sets " + key
            + ", which " + RETAIN_KEYS + " " + Json.quote(listed) + " does not keep");
      }
    }
    target.retain(retained);
  }

  private static void deleteFromPrimitiveList(ObjectNode target, String directive, JsonNode values) {
    String list = directive.substring(DELETE_FROM_PRIMITIVE_LIST.length());
    if (list.isEmpty() || !values.isArray()) {
      throw PatchException.badRequest("invalid patch format of primitive list: " + directive + " must name a list and hold a list");
    }
    JsonNode existing = target.get(list);
    if (existing == null || !existing.isArray()) {
      return;
    }
    for (JsonNode item : concat((ArrayNode) existing, (ArrayNode) values)) {
      if (item.isContainerNode()) {
        throw PatchException.badRequest("invalid patch format of primitive list: " + list
            + " holds objects; delete its items with {\"$patch\":\"delete\"} and their merge key");
      }
    }
    ArrayNode kept = NODES.arrayNode();
    for (JsonNode item : existing) {
      if (elements(values).stream().noneMatch(value -> Json.same(value, item))) {
        kept.add(item);
      }
    }
    target.set(list, kept);
  }

  /**
   * The order apimachinery gives a merged list: the items the patch names, in the patch's order;
   * the items only the server has, in their live order; the two interleaved by live position, so
   * a new item comes before the server-only items that follow no named item.
   */
  private static ArrayNode ordered(List<JsonNode> merged, List<JsonNode> patchOrder, List<JsonNode> liveOrder, String mergeKey) {
    List<JsonNode> named = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode item : merged) {
      (indexOf(patchOrder, item, mergeKey) >= 0 ? named : serverOnly).add(item);
    }
    named.sort(Comparator.comparingInt(item -> indexOf(patchOrder, item, mergeKey)));
    serverOnly.sort(Comparator.comparingInt(item -> indexOf(liveOrder, item, mergeKey)));
    ArrayNode result = NODES.arrayNode();
    int s = 0;
    int n = 0;
    while (s < serverOnly.size() || n < named.size()) {
      boolean serverOnlyFirst = n == named.size()
          || s < serverOnly.size() && comesFirst(serverOnly.get(s), named.get(n), liveOrder, mergeKey);
      result.add(serverOnlyFirst ? serverOnly.get(s++) : named.get(n++));
    }
    return result;
  }

  private static boolean comesFirst(JsonNode serverOnly, JsonNode named, List<JsonNode> liveOrder, String mergeKey) {
    int left = indexOf(liveOrder, serverOnly, mergeKey);
    int right = indexOf(liveOrder, named, mergeKey);
    return left >= 0 && right >= 0 && left < right;
  }

  private static int indexOf(List<JsonNode> list, JsonNode item, String mergeKey) {
    JsonNode wanted = identity(item, mergeKey);
    if (wanted == null) {
      return -1;
    }
    for (int i = 0; i < list.size(); i++) {
      if (Json.same(identity(list.get(i), mergeKey), wanted)) {
        return i;
      }
    }
    return -1;
  }

  /** What identifies an item: its merge key, or the value itself in a list of primitives. */
  private static JsonNode identity(JsonNode item, String mergeKey) {
    return mergeKey == null ? item : item.get(mergeKey);
  }

  /** Merge lists hold primitives of one type or objects, never lists; returns whether they hold objects. */
  private static boolean checkElements(ArrayNode target, ArrayNode patch, String path) {
    JsonNodeType type = null;
    for (JsonNode item : concat(target, patch)) {
      if (item.isArray()) {
        throw PatchException.invalid("lists of lists are not supported (" + path + ")");
      }
      if (type != null && item.getNodeType() != type) {
        throw PatchException.badRequest("list element types are not identical in " + path + ": "
            + Json.quote(target) + " and " + Json.quote(patch));
      }
      type = item.getNodeType();
    }
    return type == JsonNodeType.OBJECT;
  }

  private static JsonNode requireMergeKey(JsonNode item, String mergeKey) {
    JsonNode key = item.isObject() ? item.get(mergeKey) : null;
    if (key == null) {
      throw PatchException.badRequest("map: " + Json.quote(item) + " does not contain declared merge key: " + mergeKey);
    }
    return key;
  }

  private static PatchException unknownPatchType(String directive, JsonNode map) {
    return PatchException.badRequest("unknown patch type: " + directive + " in map: " + Json.quote(map));
  }

  private static String directiveOf(JsonNode node) {
    JsonNode directive = node.isObject() ? node.get(PATCH) : null;
    return directive == null ? null : directive.asText();
  }

  private Optional<PatchStrategies.Strategy> strategy(String path) {
    return PatchStrategies.of(kind, path);
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static List<JsonNode> elements(JsonNode list) {
    List<JsonNode> items = new ArrayList<>(list.size());
    list.forEach(items::add);
    return items;
  }

  private static List<JsonNode> concat(ArrayNode first, ArrayNode second) {
    List<JsonNode> both = elements(first);
    both.addAll(elements(second));
    return both;
  }
}
