package io.kubemu.apiserver.resource;

import java.util.List;

/**
 * One kind of object the API serves, as discovery describes it: where it lives in the URL
 * space (group, version, plural resource name), its kind, whether it belongs to a namespace,
 * the short names kubectl accepts, and its subresources.
 */
public record ResourceType(
    String group,
    String version,
    String resource,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> subresources) {

  /** "v1" for the core group, "apps/v1" otherwise: the apiVersion objects carry. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "pods", "deployments.apps": how Kubernetes names the resource in messages. */
  public String qualifiedResource() {
    return group.isEmpty() ? resource : resource + "." + group;
  }

  /** The store prefix of every object of this type: {@code /registry/<resource>/}. */
  public String storagePrefix() {
    return "/registry/" + resource + "/";
  }

  public boolean hasSubresource(String name) {
    return subresources.contains(name);
  }
}
