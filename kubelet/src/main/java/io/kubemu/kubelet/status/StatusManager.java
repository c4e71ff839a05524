package io.kubemu.kubelet.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubemu.component.client.Patches;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the kubelet knows of its pods back to the apiserver, as the kubelet's status
 * manager: one patch of the status subresource when the status changed (compared with the one it
 * last wrote and with the pod's), carrying the pod's UID so that it never lands on a namesake;
 * and, once a deleted pod's containers are stopped, the final delete with grace period 0 and a
 * UID precondition. Called from the pod workers, one pod at a time per pod.
 */
public final class StatusManager {
  private static final Logger LOG = LoggerFactory.getLogger(StatusManager.class);

  private final KubernetesClient client;
  /** The status last written of each pod, by UID. */
  private final Map<String, PodStatus> written = new ConcurrentHashMap<>();

  public StatusManager(KubernetesClient client) {
    this.client = client;
  }

  /** Writes the pod's new status unless the apiserver already has it; true when it wrote. */
  public boolean setPodStatus(Pod pod, PodStatus status) {
    String uid = pod.getMetadata().getUid();
    // Compared as objects: serializing the pod's status for each sync cost more than the comparison.
    if (status.equals(written.get(uid)) || status.equals(pod.getStatus())) {
      return false;
    }
    String wanted = Serialization.asJson(status);
    String patch = "{\"metadata\":{\"uid\":" + Serialization.asJson(uid) + "},\"status\":" + wanted + "}";
    // Noted before it is sent, as the kubelet's status manager caches a status before it syncs it: the
    // patch's own echo may come through the watch before its answer does (see isLastWritten).
    PodStatus before = written.put(uid, status);
    try {
      Patches.send(client, Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "status",
          PatchType.JSON_MERGE, patch);
    } catch (RuntimeException e) {
      restore(uid, status, before);
      if (!(e instanceof KubernetesClientException failed) || failed.getCode() != 404) {
        throw e;
      }
      // Deleted meanwhile: its delete event is on its way, and with it the pod's cleanup.
      LOG.debug("pod {}/{} is gone, its status is not written", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName());
      return false;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("pod {}/{}: status written, phase {}: {} (was {})", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), status.getPhase(), wanted,
          pod.getStatus() == null ? null : Serialization.asJson(pod.getStatus()));
    }
    return true;
  }

  /**
   * Deletes a terminated pod for good: grace period 0 (its containers are stopped) and its UID as
   * precondition. A pod already gone, or replaced by a namesake, is fine.
   */
  public void deletePod(Pod pod) throws InterruptedException {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String body = Serialization.asJson(Map.of("apiVersion", "v1", "kind", "DeleteOptions", "gracePeriodSeconds", 0,
        "preconditions", Map.of("uid", pod.getMetadata().getUid())));
    HttpClient http = client.getHttpClient();
    String base = client.getMasterUrl().toString();
    HttpRequest request = http.newHttpRequestBuilder()
        .uri((base.endsWith("/") ? base : base + "/") + "api/v1/namespaces/" + namespace + "/pods/" + name)
        .method("DELETE", "application/json", body)
        .build();
    HttpResponse<String> response;
    try {
      response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new KubernetesClientException("deleting pod " + namespace + "/" + name + " failed: " + e.getMessage(), e);
    }
    int code = response.code();
    if (code == 404 || code == 409) {
      LOG.debug("pod {}/{} ({}) is already gone", namespace, name, pod.getMetadata().getUid());
    } else if (code >= 300) {
      throw new KubernetesClientException("deleting pod " + namespace + "/" + name + " failed (" + code + "): "
          + response.body());
    }
    LOG.info("pod {}/{} deleted: its containers are stopped", namespace, name);
  }

  /** A status that was not written is not remembered as written (unless a later one took its place). */
  private void restore(String uid, PodStatus status, PodStatus before) {
    if (before == null) {
      written.remove(uid, status);
    } else {
      written.replace(uid, status, before);
    }
  }

  /**
   * Whether the pod's status is the one this kubelet last wrote, or is writing, of it: the
   * echo of its own patch, no news for it.
   */
  public boolean isLastWritten(Pod pod) {
    PodStatus status = pod.getStatus();
    return status != null && status.equals(written.get(pod.getMetadata().getUid()));
  }

  /**
   * The apiserver has a status of the pod that this kubelet did not write (the status manager's
   * reconcile): what it wrote is forgotten, so that the pod's next sync writes its own status again.
   */
  public void reconcile(Pod pod) {
    written.remove(pod.getMetadata().getUid());
  }

  /** The pod is gone: its last written status is no longer needed. */
  public void forget(String uid) {
    written.remove(uid);
  }
}
