package io.kubemu.controllermanager.garbagecollector;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubemu.controllermanager.discovery.ServerResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The garbage collector's reads and writes through the apiserver (Kubernetes' GC operations),
 * addressed by an object's identity, its kind mapped to a served resource by discovery: get,
 * delete with the object's uid as precondition, patch owner references away, remove a finalizer.
 */
final class ObjectOperations {
  private final KubernetesClient client;
  private final ServerResources resources;

  ObjectOperations(KubernetesClient client, ServerResources resources) {
    this.client = client;
    this.resources = resources;
  }

  /**
   * The served resource of the identity's kind.
   *
   * @throws IllegalStateException when the apiserver serves no such kind (retried: it may come)
   */
  ServerResources.Resource resourceOf(ObjectIdentity identity) {
    return resources.forKind(identity.apiVersion(), identity.kind()).orElseThrow(() -> new IllegalStateException(
        "unable to get REST mapping for " + identity.apiVersion() + "/" + identity.kind()));
  }

  /** The object as the apiserver has it now, or null when there is none of that name. */
  GenericKubernetesResource get(ObjectIdentity identity) {
    return object(identity).get();
  }

  /** Deletes the object if it is still the one the identity names; one already gone is fine. */
  void delete(ObjectIdentity identity, DeletionPropagation policy) {
    ServerResources.Resource resource = resourceOf(identity);
    try {
      client.raw(resource.path(identity.namespace(), identity.name()), "DELETE", new DeleteOptionsBuilder()
          .withNewPreconditions().withUid(identity.uid()).endPreconditions()
          .withPropagationPolicy(policy.toString()).build());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Removes the owner references to {@code ownerUids} from the object (a strategic merge patch); gone is fine. */
  void deleteOwnerReferences(ObjectIdentity identity, List<String> ownerUids) {
    List<Map<String, Object>> references = new ArrayList<>();
    for (String uid : ownerUids) {
      references.add(Map.of("$patch", "delete", "uid", uid));
    }
    patchOwnerReferences(identity, references);
  }

  /** Makes the object's blocking owner references non-blocking, so that no owner waits for it. */
  void unblockOwnerReferences(ObjectIdentity identity, List<OwnerReference> owners) {
    List<Map<String, Object>> references = new ArrayList<>();
    for (OwnerReference owner : owners) {
      if (Boolean.TRUE.equals(owner.getBlockOwnerDeletion())) {
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("apiVersion", owner.getApiVersion());
        reference.put("kind", owner.getKind());
        reference.put("name", owner.getName());
        reference.put("uid", owner.getUid());
        reference.put("blockOwnerDeletion", false);
        references.add(reference);
      }
    }
    patchOwnerReferences(identity, references);
  }

  private void patchOwnerReferences(ObjectIdentity identity, List<Map<String, Object>> references) {
    Map<String, Object> patch = Map.of("metadata", Map.of("ownerReferences", references, "uid", identity.uid()));
    try {
      object(identity).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
          client.getKubernetesSerialization().asJson(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /**
   * Removes one finalizer from the object, guarded by its resourceVersion and tried again on a
   * conflict, as Kubernetes' GC does; an object gone or without the finalizer is left alone.
   */
  void removeFinalizer(ObjectIdentity identity, String finalizer) {
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource latest = get(identity);
      if (latest == null || !latest.getMetadata().getUid().equals(identity.uid())
          || !latest.getMetadata().getFinalizers().contains(finalizer)) {
        return;
      }
      List<String> finalizers = new ArrayList<>(latest.getMetadata().getFinalizers());
      finalizers.remove(finalizer);
      Map<String, Object> patch = Map.of("metadata",
          Map.of("finalizers", finalizers, "resourceVersion", latest.getMetadata().getResourceVersion()));
      try {
        object(identity).patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private Resource<GenericKubernetesResource> object(ObjectIdentity identity) {
    ServerResources.Resource resource = resourceOf(identity);
    var objects = client.genericKubernetesResources(resource.context());
    return resource.namespaced() ? objects.inNamespace(identity.namespace()).withName(identity.name())
        : objects.withName(identity.name());
  }
}
