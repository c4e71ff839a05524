package io.kubemu.component.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PATCH of one object in one request, as client-go's {@code Patch} sends it. fabric8's
 * {@code withName(name).patch(context, json)} first GETs the object, a read of the store that the
 * patch does not need: a kubelet writing its pods' status paid two requests for each.
 */
public final class Patches {
  private static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

  private Patches() {}

  /**
   * Sends {@code body} as a patch of {@code patchType} to the object (namespace null for a
   * cluster-scoped one), or to its {@code subresource} (null for none), through the client's
   * HTTP client and so its rate limits. Answers the object as the apiserver stored it; an error
   * answer is thrown as the {@link KubernetesClientException} of its Status, with its code.
   */
  public static <T extends HasMetadata> T patch(KubernetesClient client, Class<T> type, String namespace,
      String name, String subresource, PatchType patchType, String body) {
    return client.getKubernetesSerialization().unmarshal(
        exchange(client, type, namespace, name, subresource, patchType, body), type);
  }

  /**
   * {@link #patch}, for a caller that has no use for the stored object: the answer is not parsed
   * (a kubelet writing its pods' status would otherwise read back each whole pod).
   */
  public static void send(KubernetesClient client, Class<? extends HasMetadata> type, String namespace, String name,
      String subresource, PatchType patchType, String body) {
    exchange(client, type, namespace, name, subresource, patchType, body);
  }

  /** The patch request and its answer's body; an error answer thrown. */
  private static String exchange(KubernetesClient client, Class<? extends HasMetadata> type, String namespace,
      String name, String subresource, PatchType patchType, String body) {
    HttpClient http = client.getHttpClient();
    String base = client.getMasterUrl().toString();
    HttpRequest request = http.newHttpRequestBuilder()
        .uri((base.endsWith("/") ? base : base + "/") + path(type, namespace, name, subresource))
        .method("PATCH", patchType.getContentType(), body)
        .build();
    long timeout = client.getConfiguration().getRequestTimeout() > 0 ? client.getConfiguration().getRequestTimeout()
        : DEFAULT_TIMEOUT_MILLIS;
    HttpResponse<String> response;
    try {
      response = http.sendAsync(request, String.class).get(timeout, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while patching " + describe(type, namespace, name), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KubernetesClientException("patching " + describe(type, namespace, name) + " failed: "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    }
    if (!response.isSuccessful()) {
      throw new KubernetesClientException(status(client, response, describe(type, namespace, name)));
    }
    return response.body();
  }

  /** The object's path under the apiserver's root: {@code api/v1/namespaces/ns/pods/name/status}. */
  static String path(Class<? extends HasMetadata> type, String namespace, String name, String subresource) {
    String group = HasMetadata.getGroup(type);
    StringBuilder path = new StringBuilder(group == null || group.isEmpty() ? "api/" : "apis/" + group + "/")
        .append(HasMetadata.getVersion(type)).append('/');
    if (namespace != null) {
      path.append("namespaces/").append(encode(namespace)).append('/');
    }
    path.append(HasMetadata.getPlural(type)).append('/').append(encode(name));
    if (subresource != null) {
      path.append('/').append(subresource);
    }
    return path.toString();
  }

  /** The answer's Status, or one made of its code and body when it is not one. */
  private static Status status(KubernetesClient client, HttpResponse<String> response, String object) {
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
        .withMessage("patching " + object + " failed (" + response.code() + "): " + body.strip()).build();
  }

  private static String describe(Class<? extends HasMetadata> type, String namespace, String name) {
    return HasMetadata.getKind(type) + " " + (namespace == null ? "" : namespace + "/") + name;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
