package io.kubemu.apiserver.openapi;

import java.util.Map;
import java.util.Set;

/**
 * The name Kubernetes gives a type in its OpenAPI documents ({@code io.k8s.api.apps.v1.Deployment},
 * {@code io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta}) for a fabric8 model class. kubectl
 * looks schemas up by their group-version-kind extension, but people and tools read these names,
 * and {@code kubectl explain} prints their last segment as a field's type.
 */
final class DefinitionNames {
  static final String TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
  static final String MICRO_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
  static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";
  static final String FIELDS_V1 = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1";
  static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
  static final String STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
  static final String DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
  static final String WATCH_EVENT = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent";
  static final String API_RESOURCE_LIST = "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList";

  private static final String MODEL = "io.fabric8.kubernetes.api.model";
  private static final String META_V1 = "io.k8s.apimachinery.pkg.apis.meta.v1.";

  /**
   * fabric8 keeps core/v1 and meta/v1 in one Java package; these are the meta/v1 ones (the
   * machinery every kind shares), the rest of that package is core/v1.
   */
  private static final Set<String> META_V1_CLASSES = Set.of(
      "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition",
      "CreateOptions", "DeleteOptions", "FieldSelectorRequirement", "GetOptions", "GroupVersionForDiscovery",
      "LabelSelector", "LabelSelectorRequirement", "ListMeta", "ListOptions", "ManagedFieldsEntry",
      "ObjectMeta", "OwnerReference", "PartialObjectMetadata", "PartialObjectMetadataList", "Patch",
      "PatchOptions", "Preconditions", "RootPaths", "ServerAddressByClientCIDR", "Status", "StatusCause",
      "StatusDetails", "Table", "TableColumnDefinition", "TableRow", "TypeMeta", "UpdateOptions", "WatchEvent");

  /** fabric8 sub-packages whose version is implied (apps is only ever v1 there). */
  private static final Map<String, String> UNVERSIONED_PACKAGES = Map.of("apps", "apps.v1");

  private DefinitionNames() {}

  /** The Kubernetes definition name of a fabric8 model class, e.g. {@code io.k8s.api.core.v1.Pod}. */
  static String of(Class<?> modelClass) {
    String packageName = modelClass.getPackageName();
    String simpleName = modelClass.getSimpleName();
    if (!packageName.startsWith(MODEL)) {
      throw new IllegalArgumentException(modelClass + " is not a fabric8 Kubernetes model class");
    }
    if (packageName.equals(MODEL)) {
      return META_V1_CLASSES.contains(simpleName) ? META_V1 + simpleName : "io.k8s.api.core.v1." + simpleName;
    }
    String groupAndVersion = packageName.substring(MODEL.length() + 1);
    return "io.k8s.api." + UNVERSIONED_PACKAGES.getOrDefault(groupAndVersion, groupAndVersion) + "." + simpleName;
  }

  /**
   * The fabric8 model class of a kind: {@code io.fabric8.kubernetes.api.model.Pod} for v1 Pod,
   * {@code ...model.apps.Deployment} for apps/v1, {@code ...model.coordination.v1.Lease} for
   * coordination.k8s.io/v1.
   */
  static Class<?> modelClass(String group, String version, String kind) {
    String groupPackage = group.isEmpty() ? "" : group.split("\\.")[0];
    String subPackage = UNVERSIONED_PACKAGES.entrySet().stream()
        .filter(entry -> entry.getValue().equals(groupPackage + "." + version))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(groupPackage + "." + version);
    String className = group.isEmpty() ? MODEL + "." + kind : MODEL + "." + subPackage + "." + kind;
    try {
      return Class.forName(className);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("no fabric8 model class " + className + " for the kind " + kind + " of "
          + (group.isEmpty() ? version : group + "/" + version) + "; is its kubernetes-model module a dependency?", e);
    }
  }

  /** "#/components/schemas/NAME": how an OpenAPI v3 document points at one of its schemas. */
  static String ref(String definition) {
    return "#/components/schemas/" + definition;
  }
}
