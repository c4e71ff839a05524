package io.kubemu.apiserver.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.http.Responses;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.storage.ObjectStore;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code pods/log}, what {@code kubectl logs} reads (kube-apiserver's LogREST): the apiserver
 * finds the node that runs the pod and streams the container's log from that node's kubelet
 * ({@code /containerLogs/NS/POD/CONTAINER}) back as text/plain, chunk by chunk as it comes,
 * so {@code kubectl logs -f} follows. Connecting to the kubelet times out after
 * {@code --kubelet-timeout}; an unreachable kubelet is an error that names it, never a hang.
 */
public final class LogREST {
  /** As kube-apiserver: at most this much of a failed kubelet reply goes into the error. */
  private static final int MAX_ERROR_BYTES = 50_000;

  private final ObjectStore store;
  private final ResourceType pods;
  private final ResourceType nodes;
  private final HttpClient kubelets;
  private final Responses responses;

  /** {@code kubelets} connects with a timeout (--kubelet-timeout). */
  public LogREST(ObjectStore store, ResourceType pods, ResourceType nodes, HttpClient kubelets, Responses responses) {
    this.store = store;
    this.pods = pods;
    this.nodes = nodes;
    this.kubelets = kubelets;
    this.responses = responses;
  }

  public void serve(RoutingContext ctx, String namespace, String name) {
    PodLogOptions options = PodLogOptions.parse(name, ctx.request()::getParam);
    Future.fromCompletionStage(locate(namespace, name, options), ctx.vertx().getOrCreateContext())
        .onSuccess(location -> {
          if (location == null) {
            // A pod not on a node yet has no log: Kubernetes answers with an empty one.
            ctx.response().putHeader("Content-Type", "text/plain").end();
          } else {
            stream(ctx, location);
          }
        })
        .onFailure(error -> responses.fail(ctx, error));
  }

  /** The kubelet URL of the container's log, or null when the pod is on no node. */
  private CompletableFuture<KubeletLocation> locate(String namespace, String name, PodLogOptions options) {
    return store.get(pods, namespace, name).thenCompose(pod -> {
      String container = container(pod, name, options.container());
      String nodeName = pod.path("spec").path("nodeName").asText("");
      if (nodeName.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      String path = "/containerLogs/" + namespace + "/" + name + "/" + container + options.kubeletQueryString();
      return store.get(nodes, null, nodeName).thenApply(node -> KubeletLocation.of(node, path));
    });
  }

  /** The container to read: the one named, or the only one (Kubernetes' validateContainer). */
  private static String container(ObjectNode pod, String name, String wanted) {
    List<String> all = new ArrayList<>();
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      pod.path("spec").path(list).forEach(container -> all.add(container.path("name").asText()));
    }
    JsonNode containers = pod.path("spec").path("containers");
    if (!wanted.isEmpty()) {
      if (!all.contains(wanted)) {
        throw ApiException.badRequest("container " + wanted + " is not valid for pod " + name);
      }
      return wanted;
    }
    if (containers.size() == 1) {
      return containers.get(0).path("name").asText();
    }
    throw ApiException.badRequest(containers.isEmpty() ? "a container name must be specified for pod " + name
        : "a container name must be specified for pod " + name + ", choose one of: [" + String.join(" ", all) + "]");
  }

  private void stream(RoutingContext ctx, KubeletLocation location) {
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(location.host())
        .setPort(location.port())
        .setURI(location.path());
    kubelets.request(request)
        .compose(HttpClientRequest::send)
        .onFailure(error -> responses.fail(ctx, unreachable(location, error)))
        .onSuccess(log -> {
          if (log.statusCode() < 200 || log.statusCode() > 206) {
            log.body().onComplete(body -> responses.fail(ctx, refused(location, log.statusCode(),
                body.succeeded() ? body.result().toString().substring(0, Math.min(body.result().length(), MAX_ERROR_BYTES))
                    : "")));
            return;
          }
          HttpServerResponse out = ctx.response();
          out.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/plain");
          out.closeHandler(closed -> log.request().reset()); // the client left: stop following
          log.pipeTo(out);
        });
  }

  /** The kubelet did not answer: Kubernetes passes on the dial error, a 500 without a reason. */
  private static ApiException unreachable(KubeletLocation location, Throwable error) {
    String cause = error instanceof ConnectTimeoutException ? "i/o timeout"
        : error instanceof ConnectException ? "connect: connection refused"
        : error instanceof UnknownHostException ? "no such host"
        : error.getMessage();
    return new ApiException(500, "", "Get \"" + location.url() + "\": dial tcp " + location.hostPort() + ": " + cause,
        null, null, List.of());
  }

  /** The kubelet answered with an error: passed on as kube-apiserver's response checker does. */
  private ApiException refused(KubeletLocation location, int code, String body) {
    return switch (code) {
      case 400 -> ApiException.badRequest(body);
      case 404 -> new ApiException(404, "NotFound", "the server could not find the requested resource ( pods/log "
          + location.path().split("/")[3] + ")", pods, null, List.of());
      case 500 -> ApiException.internal("Internal error occurred: " + body);
      default -> new ApiException(code, code >= 500 ? "InternalError" : "", "an error on the server (\"" + body
          + "\") has prevented the request from succeeding", null, null, List.of());
    };
  }
}
