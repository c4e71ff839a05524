package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;

/**
 * The ServiceAccount admission plugin: a new pod that names no service account runs as the
 * namespace's "default" one. Unlike Kubernetes it does not check that the account exists and
 * does not mount a token volume (kubemu issues no tokens).
 */
final class ServiceAccountAdmission implements MutatingPlugin {
  static final String DEFAULT_SERVICE_ACCOUNT = "default";

  @Override
  public void admit(ResourceType type, ObjectNode pod, JsonNode old) {
    if (!type.kind().equals("Pod") || old != null || !(pod.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    Fields.defaultText(spec, "serviceAccountName", DEFAULT_SERVICE_ACCOUNT);
    PodSpecDefaults.serviceAccountAlias(spec);
  }
}
