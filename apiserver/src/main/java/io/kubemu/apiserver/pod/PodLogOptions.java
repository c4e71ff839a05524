package io.kubemu.apiserver.pod;

import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ResourceType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The query of {@code GET pods/NAME/log} (Kubernetes' PodLogOptions): which container, and
 * what the kubelet passes on (follow, previous, timestamps, sinceSeconds, sinceTime, tailLines,
 * limitBytes), checked as kube-apiserver checks them.
 */
record PodLogOptions(String container, Map<String, String> kubeletQuery) {
  /** PodLogOptions are not stored; the type names them in 422 replies. */
  private static final ResourceType POD_LOG_OPTIONS = new ResourceType("", "v1", "pods/log", "", "PodLogOptions", true,
      List.of(), List.of(), List.of());
  private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
  private static final List<String> FLAGS = List.of("follow", "previous", "timestamps");
  private static final List<String> NUMBERS = List.of("sinceSeconds", "tailLines", "limitBytes");

  static PodLogOptions parse(String pod, UnaryOperator<String> query) {
    Map<String, String> kubeletQuery = new TreeMap<>(); // sorted, as Go's url.Values encodes
    for (String flag : FLAGS) {
      if (query.apply(flag) != null && parseBoolean(flag, query.apply(flag))) {
        kubeletQuery.put(flag, "true");
      }
    }
    List<ApiException.Cause> causes = new ArrayList<>();
    for (String number : NUMBERS) {
      if (query.apply(number) != null) {
        long value = parseLong(number, query.apply(number));
        long least = number.equals("tailLines") ? 0 : 1;
        if (value < least) {
          causes.add(new ApiException.Cause("FieldValueInvalid", "Invalid value: " + value + ": must be greater than "
              + (least == 0 ? "or equal to 0" : "0"), number));
        }
        kubeletQuery.put(number, Long.toString(value));
      }
    }
    String sinceTime = query.apply("sinceTime");
    if (sinceTime != null) {
      try {
        kubeletQuery.put("sinceTime", RFC_3339.format(OffsetDateTime.parse(sinceTime)));
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("sinceTime: \"" + sinceTime + "\" is not an RFC 3339 time");
      }
      if (kubeletQuery.containsKey("sinceSeconds")) {
        causes.add(new ApiException.Cause("FieldValueForbidden",
            "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified", ""));
      }
    }
    if (!causes.isEmpty()) {
      throw ApiException.invalid(POD_LOG_OPTIONS, pod, causes);
    }
    String container = query.apply("container");
    return new PodLogOptions(container == null ? "" : container, kubeletQuery);
  }

  /** The query string for the kubelet, e.g. {@code ?follow=true&tailLines=10}, or "". */
  String kubeletQueryString() {
    StringBuilder query = new StringBuilder();
    kubeletQuery.forEach((key, value) -> query.append(query.length() == 0 ? "?" : "&").append(key).append('=')
        .append(value.replace("+", "%2B")));
    return query.toString();
  }

  private static boolean parseBoolean(String name, String value) {
    return switch (value.toLowerCase()) {
      case "true", "1", "t" -> true;
      case "false", "0", "f" -> false;
      default -> throw ApiException.badRequest(name + ": \"" + value + "\" is not a boolean");
    };
  }

  private static long parseLong(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + ": \"" + value + "\" is not a number");
    }
  }
}
