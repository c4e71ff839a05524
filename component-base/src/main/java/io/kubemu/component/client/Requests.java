package io.kubemu.component.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request with a JSON body through the client's HTTP client (and so its rate limits), as
 * client-go's REST client sends it: no read before it, and the answer handed back as text for the
 * caller to parse or not. An error answer is thrown as the {@link KubernetesClientException} of
 * its Status, with its code.
 */
final class Requests {
  private static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

  private Requests() {}

  /**
   * @param path   under the apiserver's root, e.g. {@code api/v1/namespaces/shop/pods/web-1/status}
   * @param doing  what the request does, for messages: {@code patching Pod shop/web-1}
   * @return the answer's body
   */
  static String exchange(KubernetesClient client, String method, String contentType, String path, String body,
      String doing) {
    try {
      return exchangeAsync(client, method, contentType, path, body, doing).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while " + doing, e);
    } catch (ExecutionException e) {
      throw failure(e.getCause(), doing);
    }
  }

  /**
   * The same request, sent without waiting for its answer: the calling thread waits only for the
   * client's rate limit, and the future completes when the answer comes (on one of the client's
   * threads), with the answer's body or a {@link KubernetesClientException}. As many requests can
   * be on their way as the rate limit lets through, where each thread blocked in {@link #exchange}
   * carries one.
   */
  static CompletableFuture<String> exchangeAsync(KubernetesClient client, String method, String contentType,
      String path, String body, String doing) {
    HttpClient http = client.getHttpClient();
    String base = client.getMasterUrl().toString();
    long timeout = client.getConfiguration().getRequestTimeout() > 0 ? client.getConfiguration().getRequestTimeout()
        : DEFAULT_TIMEOUT_MILLIS;
    CompletableFuture<HttpResponse<String>> sent;
    try {
      HttpRequest request = http.newHttpRequestBuilder()
          .uri((base.endsWith("/") ? base : base + "/") + path)
          .method(method, contentType, body)
          .build();
      sent = http.sendAsync(request, String.class);
    } catch (RuntimeException e) { // a closed client refuses at once: failed as any other request
      return CompletableFuture.failedFuture(failure(e, doing));
    }
    return sent.orTimeout(timeout, TimeUnit.MILLISECONDS)
        .handle((response, error) -> {
          if (error != null) {
            throw failure(error, doing);
          }
          if (!response.isSuccessful()) {
            throw new KubernetesClientException(status(client, response, doing));
          }
          return response.body();
        });
  }

  /** What a failed request throws: its Status's exception as it is, anything else as why it failed. */
  private static KubernetesClientException failure(Throwable error, String doing) {
    Throwable cause = ApiErrors.cause(error);
    if (cause instanceof KubernetesClientException known) {
      return known;
    }
    String why = cause instanceof TimeoutException ? "no answer within the request timeout" : cause.getMessage();
    return new KubernetesClientException(doing + " failed: " + why, cause);
  }

  /** The path of a type's collection: {@code apis/apps/v1/namespaces/shop/replicasets}; namespace null for none. */
  static String collection(Class<? extends HasMetadata> type, String namespace) {
    TypePath typePath = TYPE_PATHS.get(type);
    if (namespace == null) {
      return typePath.groupVersion() + typePath.plural();
    }
    return typePath.groupVersion() + "namespaces/" + encode(namespace) + "/" + typePath.plural();
  }

  /** {@code apis/apps/v1/} and {@code replicasets}. */
  private record TypePath(String groupVersion, String plural) {}

  /** Worked out once per type: fabric8 derives a plural from the kind by its rules at every call. */
  private static final ClassValue<TypePath> TYPE_PATHS = new ClassValue<>() {
    @Override
    protected TypePath computeValue(Class<?> type) {
      Class<? extends HasMetadata> resource = type.asSubclass(HasMetadata.class);
      String group = HasMetadata.getGroup(resource);
      return new TypePath((group == null || group.isEmpty() ? "api/" : "apis/" + group + "/")
          + HasMetadata.getVersion(resource) + "/", HasMetadata.getPlural(resource));
    }
  };

  /** {@code Pod shop/web-1}, {@code Node node-1}. */
  static String describe(Class<? extends HasMetadata> type, String namespace, String name) {
    return HasMetadata.getKind(type) + " " + (namespace == null ? "" : namespace + "/") + name;
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The answer's Status, or one made of its code and body when it is not one. */
  private static Status status(KubernetesClient client, HttpResponse<String> response, String doing) {
    String body = response.body() == null ? "" : response.body();
    try {
      Status status = client.getKubernetesSerialization().unmarshal(body, Status.class);
      if (status != null && status.getCode() != null) {
        return status;
      }
    } catch (RuntimeException notAStatus) {
      // said below
    }
    return new StatusBuilder().withStatus("Failure").withCode(response.code())
        .withMessage(doing + " failed (" + response.code() + "): " + body.strip()).build();
  }
}
