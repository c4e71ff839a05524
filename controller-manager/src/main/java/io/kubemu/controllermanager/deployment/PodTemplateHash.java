package io.kubemu.controllermanager.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code pod-template-hash} of a Deployment's pod template, as Kubernetes' ComputeHash: a
 * 32-bit FNV-1a hash of the template (and of the collision count, when there is one), written
 * in the letters of SafeEncodeString so that it never spells a word. Kubernetes hashes Go's dump
 * of its in-memory struct; here the template's canonical JSON (keys sorted) is hashed, so the
 * values differ from a real cluster's but have the same shape and the same stability: equal
 * templates, equal hash.
 */
final class PodTemplateHash {
  /** Kubernetes' DefaultDeploymentUniqueLabelKey. */
  static final String LABEL = "pod-template-hash";
  /** Kubernetes' rand.SafeEncodeString alphabet: no vowels, no confusable digits. */
  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private PodTemplateHash() {}

  static String compute(PodTemplateSpec template, Integer collisionCount) {
    int hash = 0x811c9dc5;
    StringBuilder canonical = new StringBuilder();
    writeCanonical(tree(template), canonical);
    if (collisionCount != null) {
      canonical.append(collisionCount); // Kubernetes writes the count's bytes after the template
    }
    for (byte b : canonical.toString().getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return safeEncode(Integer.toUnsignedString(hash));
  }

  /** Kubernetes' rand.SafeEncodeString: every character mapped into the safe alphabet. */
  static String safeEncode(String value) {
    StringBuilder encoded = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      encoded.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
    }
    return encoded.toString();
  }

  /**
   * Kubernetes' EqualIgnoreHash: the two templates are semantically equal once the
   * {@code pod-template-hash} label is left out of both.
   */
  static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
    return withoutHashLabel(tree(a)).equals(withoutHashLabel(tree(b)));
  }

  /** The template as plain maps, lists and values, the way it is serialized (empty fields left out). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> tree(PodTemplateSpec template) {
    return SERIALIZATION.convertValue(template == null ? new PodTemplateSpec() : template, Map.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutHashLabel(Map<String, Object> template) {
    if (template.get("metadata") instanceof Map<?, ?> metadata) {
      if (metadata.get("labels") instanceof Map<?, ?> labels) {
        labels.remove(LABEL);
        if (labels.isEmpty()) {
          metadata.remove("labels");
        }
      }
      if (metadata.isEmpty()) {
        template.remove("metadata");
      }
    }
    return template;
  }

  /** JSON with object keys in sorted order, so that equal trees always give equal text. */
  private static void writeCanonical(Object node, StringBuilder out) {
    if (node instanceof Map<?, ?> map) {
      List<String> names = new ArrayList<>();
      map.keySet().forEach(name -> names.add(String.valueOf(name)));
      Collections.sort(names);
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(SERIALIZATION.asJson(names.get(i))).append(':');
        writeCanonical(map.get(names.get(i)), out);
      }
      out.append('}');
    } else if (node instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        writeCanonical(list.get(i), out);
      }
      out.append(']');
    } else {
      out.append(SERIALIZATION.asJson(node));
    }
  }

  /** A copy of the labels with the hash label added (Kubernetes' CloneAndAddLabel). */
  static Map<String, String> withHashLabel(Map<String, String> labels, String hash) {
    Map<String, String> copy = labels == null ? new HashMap<>() : new HashMap<>(labels);
    copy.put(LABEL, hash);
    return copy;
  }
}
