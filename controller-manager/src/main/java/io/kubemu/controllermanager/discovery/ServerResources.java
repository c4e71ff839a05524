package io.kubemu.controllermanager.discovery;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the apiserver serves, as its discovery documents say ({@code /api/v1} and the preferred
 * version of every group under {@code /apis}), read once at start: the namespace controller
 * deletes every namespaced resource in it, the garbage collector watches every deletable one,
 * and an owner reference's kind is found here (Kubernetes' RESTMapper).
 */
public final class ServerResources {
  /** One served resource; subresources ({@code pods/status}) are not resources here. */
  public record Resource(String group, String version, String plural, String kind, boolean namespaced,
      List<String> verbs) {
    public String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    public boolean supports(String verb) {
      return verbs.contains(verb);
    }

    /** As Kubernetes writes a GroupResource in messages: {@code pods.}, {@code deployments.apps}. */
    public String groupResource() {
      return plural + "." + group;
    }

    /** The URL path of its collection in a namespace ("" or null: cluster-scoped), or of one object in it. */
    public String path(String namespace, String name) {
      StringBuilder path = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
      if (namespaced && namespace != null && !namespace.isEmpty()) {
        path.append("/namespaces/").append(namespace);
      }
      path.append('/').append(plural);
      if (name != null) {
        path.append('/').append(name);
      }
      return path.toString();
    }

    /** How the fabric8 client addresses it as generic objects. */
    public ResourceDefinitionContext context() {
      return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
          .withKind(kind).withNamespaced(namespaced).build();
    }
  }

  private final List<Resource> resources;

  public ServerResources(List<Resource> resources) {
    this.resources = List.copyOf(resources);
  }

  /** Asks the apiserver (kubectl api-resources asks the same). */
  public static ServerResources discover(KubernetesClient client) {
    List<Resource> resources = new ArrayList<>();
    add(resources, "", "v1", client.getApiResources("v1"));
    for (APIGroup group : client.getApiGroups().getGroups()) {
      String groupVersion = group.getPreferredVersion().getGroupVersion();
      add(resources, group.getName(), groupVersion.substring(groupVersion.indexOf('/') + 1),
          client.getApiResources(groupVersion));
    }
    return new ServerResources(resources);
  }

  private static void add(List<Resource> resources, String group, String version, APIResourceList list) {
    for (APIResource resource : list.getResources()) {
      if (!resource.getName().contains("/")) {
        resources.add(new Resource(group, version, resource.getName(), resource.getKind(),
            Boolean.TRUE.equals(resource.getNamespaced()), List.copyOf(resource.getVerbs())));
      }
    }
  }

  public List<Resource> all() {
    return resources;
  }

  /** The served resource of a kind in the group of {@code apiVersion}, whichever version it names. */
  public Optional<Resource> forKind(String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return resources.stream().filter(r -> r.group().equals(group) && r.kind().equals(kind)).findFirst();
  }
}
