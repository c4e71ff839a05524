package io.kubemu.apiserver.metrics;

import io.kubemu.apiserver.http.ResourceRequest;
import io.kubemu.apiserver.resource.ResourceType;
import io.vertx.core.http.HttpMethod;
import java.util.Set;

/**
 * How kube-apiserver names a request in its metrics: the verb in capitals as it reports it
 * (GET of a collection is LIST, a GET with watch is WATCH, an apply patch is APPLY, a
 * request for logs, exec and the like is CONNECT), the resource's group, version, name and
 * subresource, and the scope (resource for one object and for every create, namespace,
 * cluster), so that a Kubernetes user's PromQL works unchanged.
 */
public record RequestLabels(String verb, String group, String version, String resource, String subresource,
    String scope) {
  /** Kubernetes reports these subresources with the verb CONNECT, whatever the HTTP method. */
  private static final Set<String> CONNECT_SUBRESOURCES = Set.of("log", "exec", "portforward", "attach", "proxy");
  /** Any other method is counted as "other", so that odd clients cannot grow the number of series. */
  private static final Set<String> REPORTED_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final String APPLY_PATCH = "application/apply-patch+yaml";

  /**
   * @param watch whether the request is served as a watch (a collection GET with watch=true)
   * @param contentType the request's Content-Type header, or null
   */
  public static RequestLabels of(HttpMethod method, ResourceRequest request, boolean watch, String contentType) {
    ResourceType type = request.type();
    String scope = request.isObject() || method == HttpMethod.POST ? "resource"
        : request.namespace() != null ? "namespace" : "cluster";
    String subresource = request.subresource() == null ? "" : request.subresource();
    return new RequestLabels(verb(method, scope, subresource, watch, contentType), type.group(), type.version(),
        type.resource(), subresource, scope);
  }

  private static String verb(HttpMethod method, String scope, String subresource, boolean watch, String contentType) {
    String verb = method == HttpMethod.HEAD ? "GET" : method.name();
    if (!REPORTED_METHODS.contains(verb)) {
      return "other";
    }
    if (CONNECT_SUBRESOURCES.contains(subresource)) {
      return "CONNECT";
    }
    if (verb.equals("GET")) {
      return watch ? "WATCH" : scope.equals("resource") ? "GET" : "LIST";
    }
    if (verb.equals("PATCH") && contentType != null && mediaType(contentType).equals(APPLY_PATCH)) {
      return "APPLY";
    }
    return verb;
  }

  private static String mediaType(String contentType) {
    int parameters = contentType.indexOf(';');
    return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
  }

  /** Whether the request stays open (a watch, a followed log), so that it counts in apiserver_longrunning_requests. */
  public boolean longRunning() {
    return verb.equals("WATCH") || verb.equals("CONNECT");
  }
}
