package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubemu.apiserver.resource.ResourceType;
import java.util.List;
import java.util.Map;

/**
 * The rules an object must satisfy to be stored, per kind, as kube-apiserver's registry
 * strategies apply them (pkg/apis/core/validation, pkg/apis/apps/validation): each broken rule
 * is a {@link FieldError} naming the field and saying what is wrong.
 */
public final class Validation {
  private static final KindValidation METADATA_ONLY = KindValidation.metadataOnly(true, NameFormat.DNS1123_SUBDOMAIN);
  private static final Map<String, KindValidation> BY_KIND = Map.ofEntries(
      Map.entry("Pod", new PodValidation()),
      Map.entry("Deployment", WorkloadValidation.deployments()),
      Map.entry("ReplicaSet", WorkloadValidation.replicaSets()),
      Map.entry("Service", new ServiceValidation()),
      Map.entry("ConfigMap", ConfigDataValidation.configMaps()),
      Map.entry("Secret", ConfigDataValidation.secrets()),
      Map.entry("Namespace", new NamespaceValidation()),
      Map.entry("Node", new NodeValidation()),
      Map.entry("Endpoints", EndpointsValidation.endpoints()),
      Map.entry("EndpointSlice", EndpointsValidation.endpointSlices()),
      Map.entry("Lease", new LeaseValidation()),
      Map.entry("ServiceAccount", METADATA_ONLY),
      Map.entry("Event", METADATA_ONLY));

  public List<FieldError> validateCreate(ResourceType type, JsonNode object) {
    return of(type).validateCreate(object);
  }

  public List<FieldError> validateUpdate(ResourceType type, JsonNode object, JsonNode old) {
    return of(type).validateUpdate(object, old);
  }

  public List<FieldError> validateStatusUpdate(ResourceType type, JsonNode object, JsonNode old) {
    return of(type).validateStatusUpdate(object, old);
  }

  private static KindValidation of(ResourceType type) {
    return BY_KIND.getOrDefault(type.kind(), KindValidation.metadataOnly(type.namespaced(),
        NameFormat.DNS1123_SUBDOMAIN));
  }
}
