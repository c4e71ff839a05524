package io.kubemu.component.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.concurrent.CompletableFuture;

/**
 * A PATCH of one object in one request, as client-go's {@code Patch} sends it. fabric8's
 * {@code withName(name).patch(context, json)} first GETs the object, a read of the store that the
 * patch does not need: a kubelet writing its pods' status paid two requests for each.
 */
public final class Patches {
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

  /**
   * {@link #send} without waiting for the answer: the future completes when it comes (on one of
   * the client's threads), or fails with the {@link KubernetesClientException} send would throw.
   */
  public static CompletableFuture<Void> sendAsync(KubernetesClient client, Class<? extends HasMetadata> type,
      String namespace, String name, String subresource, PatchType patchType, String body) {
    return Requests.exchangeAsync(client, "PATCH", patchType.getContentType(),
        path(type, namespace, name, subresource), body, "patching " + Requests.describe(type, namespace, name))
        .thenApply(answer -> null);
  }

  /** The patch request and its answer's body; an error answer thrown. */
  private static String exchange(KubernetesClient client, Class<? extends HasMetadata> type, String namespace,
      String name, String subresource, PatchType patchType, String body) {
    return Requests.exchange(client, "PATCH", patchType.getContentType(), path(type, namespace, name, subresource),
        body, "patching " + Requests.describe(type, namespace, name));
  }

  /** The object's path under the apiserver's root: {@code api/v1/namespaces/ns/pods/name/status}. */
  static String path(Class<? extends HasMetadata> type, String namespace, String name, String subresource) {
    String path = Requests.collection(type, namespace) + "/" + Requests.encode(name);
    return subresource == null ? path : path + "/" + subresource;
  }
}
