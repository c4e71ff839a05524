package io.kubemu.kubelet.fieldpath;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pod's own fields a downward API reference may name (Kubernetes' fieldpath package): its
 * name, namespace, UID, and its labels and annotations, all of them or one by key. The fields only
 * the kubelet knows at run time (spec.nodeName, status.podIP, ...) are the environment's, see
 * {@code EnvironmentVariables}.
 */
public final class FieldPath {
  private static final Pattern SUBSCRIPT = Pattern.compile("(metadata\\.(?:labels|annotations))\\['(.*)'\\]");

  private FieldPath() {}

  /** The field's value as a string; all labels or annotations as {@code key="value"} lines, sorted. */
  public static String extract(Pod pod, String fieldPath) throws UnsupportedFieldException {
    ObjectMeta metadata = pod.getMetadata();
    Matcher subscript = SUBSCRIPT.matcher(fieldPath == null ? "" : fieldPath);
    if (subscript.matches()) {
      Map<String, String> map = subscript.group(1).equals("metadata.labels") ? metadata.getLabels()
          : metadata.getAnnotations();
      return map == null ? "" : map.getOrDefault(subscript.group(2), "");
    }
    String value = switch (fieldPath == null ? "" : fieldPath) {
      case "metadata.name" -> metadata.getName();
      case "metadata.namespace" -> metadata.getNamespace();
      case "metadata.uid" -> metadata.getUid();
      case "metadata.labels" -> formatMap(metadata.getLabels());
      case "metadata.annotations" -> formatMap(metadata.getAnnotations());
      default -> throw new UnsupportedFieldException("unsupported fieldPath: " + fieldPath);
    };
    return value == null ? "" : value;
  }

  /** One {@code key="value"} line per entry, sorted by key, the value quoted as Go's %q (Kubernetes' FormatMap). */
  public static String formatMap(Map<String, String> map) {
    if (map == null) {
      return "";
    }
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
      if (lines.length() > 0) {
        lines.append('\n');
      }
      lines.append(entry.getKey()).append('=').append(quote(entry.getValue()));
    }
    return lines.toString();
  }

  /** A double-quoted string with Go's escapes for quotes, backslashes and control characters. */
  static String quote(String value) {
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        case '\r' -> quoted.append("\\r");
        case '\u0007' -> quoted.append("\\a");
        case '\b' -> quoted.append("\\b");
        case '\f' -> quoted.append("\\f");
        case '\u000b' -> quoted.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            quoted.append(String.format("\\x%02x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }

  /** A field reference the kubelet cannot resolve; its message is Kubernetes'. */
  public static final class UnsupportedFieldException extends Exception {
    public UnsupportedFieldException(String message) {
      super(message);
    }
  }
}
