package io.kubemu.controllermanager.namespace;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubemu.component.client.ApiErrors;
import io.kubemu.controllermanager.discovery.ServerResources;
import io.kubemu.controllermanager.discovery.ServerResources.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties a terminating namespace, as Kubernetes' namespacedResourcesDeleter: pods first (the
 * OrderedNamespaceDeletion of Kubernetes 1.33), each with its grace period, then every other
 * namespaced resource the apiserver serves, by one delete-collection call where the apiserver
 * takes it and object by object where not (in the background: the garbage collector takes care
 * of dependents). It records what remains in the namespace's conditions, and once nothing
 * remains, removes the {@code kubernetes} finalizer.
 */
final class NamespacedResourcesDeleter {
  private static final Logger LOG = LoggerFactory.getLogger(NamespacedResourcesDeleter.class);
  /** The finalizer of this controller in a namespace's spec.finalizers. */
  static final String FINALIZER = "kubernetes";
  /** Kubernetes' finalizerEstimateSeconds: how long objects with finalizers are given before the next look. */
  static final long FINALIZER_ESTIMATE_SECONDS = 15;
  private static final DeleteOptions BACKGROUND = new DeleteOptionsBuilder()
      .withPropagationPolicy(DeletionPropagation.BACKGROUND.toString()).build();

  private final KubernetesClient client;
  private final ServerResources resources;
  /** Resources whose collections turned out not to take a delete (405): deleted object by object. */
  private final Set<String> deleteCollectionUnsupported = ConcurrentHashMap.newKeySet();

  NamespacedResourcesDeleter(KubernetesClient client, ServerResources resources) {
    this.client = client;
    this.resources = resources;
  }

  /**
   * Deletes the namespace's content and finalizes it if it is terminating; returns how many
   * seconds the content still needs to go (the caller looks again later), or nothing when the
   * namespace is finalized or not terminating.
   *
   * @throws IllegalStateException when content could not be deleted (retried with backoff)
   */
  OptionalLong delete(String name) {
    Namespace namespace = client.namespaces().withName(name).get();
    if (namespace == null || namespace.getMetadata().getDeletionTimestamp() == null) {
      return OptionalLong.empty();
    }
    if (namespace.getSpec() == null || namespace.getSpec().getFinalizers() == null
        || !namespace.getSpec().getFinalizers().contains(FINALIZER)) {
      return OptionalLong.empty(); // finalized already; the apiserver deletes it when its other finalizers go
    }
    ContentDeletion deletion = deleteAllContent(name);
    namespace = updateConditions(namespace, deletion);
    if (!deletion.errors.isEmpty()) {
      throw new IllegalStateException("namespace " + name + ": " + String.join(", ", deletion.errors));
    }
    if (deletion.estimate > 0) {
      LOG.info("namespace {}: content remains ({}), looking again in about {}s", name, deletion.remaining,
          deletion.estimate / 2 + 1);
      return OptionalLong.of(deletion.estimate);
    }
    finalizeNamespace(namespace);
    return OptionalLong.empty();
  }

  private ContentDeletion deleteAllContent(String namespace) {
    ContentDeletion deletion = new ContentDeletion();
    List<Resource> deletable = resources.all().stream()
        .filter(r -> r.namespaced() && r.supports("delete") && r.supports("list")).toList();
    for (Resource pods : deletable.stream().filter(NamespacedResourcesDeleter::isPods).toList()) {
      deleteAllContentFor(pods, namespace, deletion);
    }
    if (!deletion.isComplete()) {
      return deletion; // nothing else goes while pods are still stopping
    }
    for (Resource resource : deletable) {
      if (!isPods(resource)) {
        deleteAllContentFor(resource, namespace, deletion);
      }
    }
    return deletion;
  }

  private void deleteAllContentFor(Resource resource, String namespace, ContentDeletion deletion) {
    long estimate = isPods(resource) ? estimateGracefulTermination(namespace) : 0;
    try {
      if (!deleteCollection(resource, namespace)) {
        deleteEachItem(resource, namespace);
      }
    } catch (KubernetesClientException e) {
      deletion.errors.add(ApiErrors.message(e));
      return;
    }
    List<GenericKubernetesResource> left = list(resource, namespace);
    if (left.isEmpty()) {
      return;
    }
    deletion.remaining.merge(resource.groupResource(), left.size(), Integer::sum);
    boolean finalizers = false;
    for (GenericKubernetesResource item : left) {
      for (String finalizer : item.getMetadata().getFinalizers()) {
        deletion.finalizers.merge(finalizer, 1, Integer::sum);
        finalizers = true;
      }
    }
    if (estimate > 0) {
      deletion.waitFor(estimate);
    } else if (finalizers) {
      deletion.waitFor(FINALIZER_ESTIMATE_SECONDS);
    } else {
      deletion.errors.add("unexpected items still remain in namespace: " + namespace + " for gvr: " + resource.group()
          + "/" + resource.version() + ", Resource=" + resource.plural());
    }
  }

  /** The longest grace period of the pods still running: how long emptying the namespace may take. */
  private long estimateGracefulTermination(String namespace) {
    long estimate = 0;
    for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
      if (grace != null) {
        estimate = Math.max(estimate, grace);
      }
    }
    return estimate;
  }

  /** One DELETE on the collection; false when the apiserver does not take it for this resource. */
  private boolean deleteCollection(Resource resource, String namespace) {
    if (!resource.supports("deletecollection") || deleteCollectionUnsupported.contains(resource.groupResource())) {
      return false;
    }
    try {
      client.raw(resource.path(namespace, null), "DELETE", BACKGROUND);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 405 || e.getCode() == 404) {
        deleteCollectionUnsupported.add(resource.groupResource());
        return false;
      }
      throw e;
    }
  }

  private void deleteEachItem(Resource resource, String namespace) {
    for (GenericKubernetesResource item : list(resource, namespace)) {
      client.genericKubernetesResources(resource.context()).inNamespace(namespace)
          .withName(item.getMetadata().getName()).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
  }

  private List<GenericKubernetesResource> list(Resource resource, String namespace) {
    return client.genericKubernetesResources(resource.context()).inNamespace(namespace).list().getItems();
  }

  /** Writes the conditions when they changed; a failed write is only logged, as in Kubernetes. */
  private Namespace updateConditions(Namespace namespace, ContentDeletion deletion) {
    Namespace updated = new NamespaceBuilder(namespace).editOrNewStatus().endStatus().build();
    if (!NamespaceConditions.update(updated.getStatus(), deletion, Instant.now())) {
      return namespace;
    }
    try {
      return client.namespaces().resource(updated).updateStatus();
    } catch (KubernetesClientException e) {
      LOG.debug("namespace {}: its conditions were not written: {}", namespace.getMetadata().getName(), ApiErrors.message(e));
      return namespace;
    }
  }

  /** Removes this controller's finalizer; the apiserver deletes the namespace when none remain. */
  private void finalizeNamespace(Namespace namespace) {
    List<String> finalizers = new ArrayList<>(namespace.getSpec().getFinalizers());
    finalizers.remove(FINALIZER);
    Namespace finalized = new NamespaceBuilder(namespace).editSpec().withFinalizers(finalizers).endSpec().build();
    String name = namespace.getMetadata().getName();
    client.raw("/api/v1/namespaces/" + name + "/finalize", "PUT", finalized);
    LOG.info("namespace {}: content deleted, finalized", name);
  }

  private static boolean isPods(Resource resource) {
    return resource.group().isEmpty() && resource.plural().equals("pods");
  }
}
