package io.kubemu.apiserver.http;

import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.resource.Resources;
import java.util.List;

/**
 * What a request path under {@code /api} or {@code /apis} names: a resource type, maybe a
 * namespace, maybe an object and a subresource. Parsed the way kube-apiserver reads paths:
 * <pre>
 *   /api/v1/pods                                 every pod (all namespaces)
 *   /api/v1/namespaces/default/pods              the pods of one namespace
 *   /api/v1/namespaces/default/pods/web/status   a subresource of one pod
 *   /api/v1/namespaces/default                   the namespace object itself
 *   /apis/apps/v1/namespaces/default/deployments/web/scale
 * </pre>
 */
public record ResourceRequest(ResourceType type, String namespace, String name, String subresource) {

  public static ResourceRequest parse(Resources resources, String path) {
    List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    int at;
    String group;
    String version;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      version = parts.get(1);
      at = 2;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      at = 3;
    } else {
      throw notFound(path);
    }
    List<String> rest = parts.subList(at, parts.size());
    String namespace = null;
    // namespaces/{ns}/{resource}...: unless the third segment is a subresource of the namespace itself.
    if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !isNamespaceSubresource(rest.get(2))) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.size() > 3) {
      throw notFound(path);
    }
    ResourceType type = resources.find(group, version, rest.get(0)).orElseThrow(() -> notFound(path));
    if (namespace != null && !type.namespaced()) {
      throw notFound(path);
    }
    String name = rest.size() >= 2 ? rest.get(1) : null;
    String subresource = rest.size() == 3 ? rest.get(2) : null;
    if (subresource != null && !type.hasSubresource(subresource)) {
      throw notFound(path);
    }
    return new ResourceRequest(type, namespace, name, subresource);
  }

  private static boolean isNamespaceSubresource(String segment) {
    return segment.equals("status") || segment.equals("finalize");
  }

  private static ApiException notFound(String path) {
    return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null, List.of());
  }

  /** Whether the request names one object, not a collection. */
  public boolean isObject() {
    return name != null;
  }
}
