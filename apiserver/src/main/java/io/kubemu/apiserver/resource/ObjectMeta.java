package io.kubemu.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * What the apiserver itself owns in every object's metadata, as kube-apiserver's generic
 * registry does: names (and generateName), uid, creationTimestamp, generation, and which
 * fields a client may not change. What a valid name is, validation says
 * ({@link io.kubemu.apiserver.admission.Admission}).
 */
public final class ObjectMeta {
  /** The alphabet of generated name suffixes: no vowels, no look-alike characters. */
  private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ObjectMeta() {}

  /**
   * Fills in what the server sets on create and returns the object's name, generated from
   * generateName if need be; whether the name is valid is for validation to say.
   */
  public static String prepareForCreate(ResourceType type, String namespace, ObjectNode object) {
    checkTypeMeta(type, object);
    ObjectNode metadata = object.withObject("metadata");
    String name = metadata.path("name").asText("");
    if (name.isEmpty() && !metadata.path("generateName").asText("").isEmpty()) {
      name = metadata.path("generateName").asText() + randomSuffix();
      metadata.put("name", name);
    }
    setNamespace(type, namespace, metadata);
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", now());
    metadata.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
    if (object.has("spec") && !type.kind().equals("Namespace")) {
      metadata.put("generation", 1);
    } else {
      metadata.remove("generation");
    }
    return name;
  }

  /**
   * Carries over what a client cannot change on update (uid, creationTimestamp, deletion
   * state) and bumps metadata.generation when the spec changed.
   */
  public static void prepareForUpdate(ResourceType type, String namespace, String name, ObjectNode updated,
      ObjectNode existing) {
    checkTypeMeta(type, updated);
    ObjectNode metadata = updated.withObject("metadata");
    String bodyName = metadata.path("name").asText("");
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL ("
          + name + ")");
    }
    metadata.put("name", name);
    setNamespace(type, namespace, metadata);
    JsonNode old = existing.path("metadata");
    for (String field : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds")) {
      if (old.has(field)) {
        metadata.set(field, old.get(field));
      } else {
        metadata.remove(field);
      }
    }
    long generation = old.path("generation").asLong(0);
    if (generation > 0 || updated.has("spec")) {
      boolean specChanged = !updated.path("spec").equals(existing.path("spec"));
      metadata.put("generation", specChanged ? Math.max(generation, 0) + 1 : Math.max(generation, 1));
    }
  }

  private static void checkTypeMeta(ResourceType type, ObjectNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    String kind = object.path("kind").asText("");
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw ApiException.badRequest("the API version in the data (" + apiVersion
          + ") does not match the expected API version (" + type.apiVersion() + ")");
    }
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
          + type.kind() + ")");
    }
    // kind and apiVersion first, as Kubernetes writes objects.
    ObjectNode rest = object.deepCopy();
    rest.remove(List.of("kind", "apiVersion"));
    object.removeAll();
    object.put("kind", type.kind()).put("apiVersion", type.apiVersion());
    object.setAll(rest);
  }

  /** The request's namespace for a namespaced object, none for a cluster-scoped one; a body naming another is refused. */
  private static void setNamespace(ResourceType type, String namespace, ObjectNode metadata) {
    String bodyNamespace = metadata.path("namespace").asText("");
    if (namespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
      throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    if (type.namespaced()) {
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
  }

  /** RFC 3339 in whole seconds, as Kubernetes writes metav1.Time. */
  public static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String randomSuffix() {
    StringBuilder suffix = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      suffix.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
    }
    return suffix.toString();
  }
}
