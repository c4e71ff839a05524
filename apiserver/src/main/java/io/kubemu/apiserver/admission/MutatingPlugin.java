package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;

/**
 * A mutating admission plugin of kube-apiserver ({@code --enable-admission-plugins}): it may
 * change an object on its way to the store, after defaulting and before validation.
 */
interface MutatingPlugin {
  /**
   * @param old the stored object on an update, null on a create
   */
  void admit(ResourceType type, ObjectNode object, JsonNode old);
}
