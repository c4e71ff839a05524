package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * ConfigMaps and Secrets: keys that can be file names, at most 1 MiB of data (what etcd
 * comfortably holds), nothing changed once {@code immutable} is set, and for Secrets the keys
 * their type promises and a type that never changes.
 */
final class ConfigDataValidation implements KindValidation {
  /** Kubernetes' MaxSecretSize, which also bounds ConfigMaps. */
  static final long MAX_SIZE = 1024 * 1024;
  private static final Map<String, List<String>> SECRET_TYPE_KEYS = Map.of(
      "kubernetes.io/dockercfg", List.of(".dockercfg"),
      "kubernetes.io/dockerconfigjson", List.of(".dockerconfigjson"),
      "kubernetes.io/ssh-auth", List.of("ssh-privatekey"),
      "kubernetes.io/tls", List.of("tls.crt", "tls.key"));

  private final boolean secret;

  private ConfigDataValidation(boolean secret) {
    this.secret = secret;
  }

  static ConfigDataValidation configMaps() {
    return new ConfigDataValidation(false);
  }

  static ConfigDataValidation secrets() {
    return new ConfigDataValidation(true);
  }

  @Override
  public List<FieldError> validateCreate(JsonNode object) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validate(object, true,
        NameFormat.DNS1123_SUBDOMAIN));
    FieldPath data = FieldPath.of("data");
    JsonNode binaryData = object.path("binaryData");
    errors.addAll(keys(object.path("data"), data));
    object.path("data").fieldNames().forEachRemaining(key -> {
      if (binaryData.has(key)) {
        errors.add(FieldError.invalid(data.key(key), GoValue.quote(key), "duplicate of key present in binaryData"));
      }
    });
    errors.addAll(keys(binaryData, FieldPath.of("binaryData")));
    // A Secret's data, like a ConfigMap's binaryData, travels in base64; what counts is the decoded size.
    long size = size(object.path("data"), secret) + size(binaryData, true);
    if (size > MAX_SIZE) {
      errors.add(FieldError.tooLong(secret ? data : FieldPath.WHOLE_OBJECT, MAX_SIZE));
    }
    if (secret) {
      errors.addAll(secretTypeKeys(object));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(JsonNode object, JsonNode old) {
    List<FieldError> errors = new ArrayList<>();
    if (secret && !Fields.text(object, "type").equals(Fields.text(old, "type"))) {
      errors.add(FieldError.invalid(FieldPath.of("type"), GoValue.quote(object.path("type")), "field is immutable"));
    }
    if (old.path("immutable").asBoolean(false)) {
      if (!object.path("immutable").asBoolean(false)) {
        errors.add(FieldError.forbidden(FieldPath.of("immutable"), "field is immutable when `immutable` is set"));
      }
      for (String field : secret ? List.of("data") : List.of("data", "binaryData")) {
        if (!GoEquality.same(object.path(field), old.path(field))) {
          errors.add(FieldError.forbidden(FieldPath.of(field), "field is immutable when `immutable` is set"));
        }
      }
    }
    errors.addAll(validateCreate(object));
    return errors;
  }

  private static List<FieldError> secretTypeKeys(JsonNode secret) {
    String type = Fields.text(secret, "type");
    FieldPath data = FieldPath.of("data");
    List<FieldError> errors = new ArrayList<>();
    if (type.equals("kubernetes.io/service-account-token")) {
      String annotation = "kubernetes.io/service-account.name";
      if (Fields.text(secret.path("metadata").path("annotations"), annotation).isEmpty()) {
        errors.add(FieldError.required(FieldPath.of("metadata", "annotations").key(annotation), ""));
      }
    } else if (type.equals("kubernetes.io/basic-auth")) {
      if (!secret.path("data").has("username") && !secret.path("data").has("password")) {
        errors.add(FieldError.required(data.key("username"), ""));
        errors.add(FieldError.required(data.key("password"), ""));
      }
    } else {
      for (String key : SECRET_TYPE_KEYS.getOrDefault(type, List.of())) {
        if (!secret.path("data").has(key)) {
          errors.add(FieldError.required(data.key(key), ""));
        }
      }
    }
    return errors;
  }

  private static List<FieldError> keys(JsonNode map, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    map.fieldNames().forEachRemaining(key ->
        errors.addAll(FieldError.invalidValue(path.key(key), key, Formats.configMapKey(key))));
    return errors;
  }

  private static long size(JsonNode map, boolean base64) {
    long size = 0;
    for (JsonNode value : map) {
      String text = Fields.text(value);
      size += base64 ? decodedLength(text) : text.getBytes(StandardCharsets.UTF_8).length;
    }
    return size;
  }

  private static long decodedLength(String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return base64.length();
    }
  }
}
