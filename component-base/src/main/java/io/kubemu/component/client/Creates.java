package io.kubemu.component.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A create (a POST to a collection) whose answer the caller has no use for: an Event recorded, a
 * Binding. fabric8's {@code resource(object).create()} parses the object the apiserver answers,
 * about as much work as writing it: a kubelet recording three events for each pod it starts
 * parsed three Events back.
 */
public final class Creates {
  private Creates() {}

  /**
   * POSTs {@code object}, serialized by the client, to its type's collection in {@code namespace}
   * (null for a cluster-scoped type) through the client's HTTP client and so its rate limits; the
   * answer is not parsed. An error answer is thrown as the {@link KubernetesClientException} of
   * its Status, with its code (409 for a name already taken).
   */
  public static void send(KubernetesClient client, String namespace, HasMetadata object) {
    Class<? extends HasMetadata> type = object.getClass();
    Requests.exchange(client, "POST", "application/json", Requests.collection(type, namespace),
        client.getKubernetesSerialization().asJson(object),
        "creating " + Requests.describe(type, namespace, String.valueOf(object.getMetadata().getName())));
  }
}
