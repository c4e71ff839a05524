package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ResourceType;
import java.util.List;

/**
 * What happens to an object between the request and the store, in kube-apiserver's order. As
 * the body is decoded, defaults are filled in and the mutating admission plugins run
 * ({@link #admit}: ServiceAccount, Priority, DefaultTolerationSeconds), and a Service is
 * prepared as its registry does (cluster IPs kept in step and kept across a resent manifest).
 * Then the registry prepares the object (name, uid, generation, status) and validates it ({@code validate*}): an invalid object is answered 422 Invalid with a cause
 * per broken rule, and is never stored.
 */
public final class Admission {
  /** kube-apiserver's default of --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
  public static final long DEFAULT_TOLERATION_SECONDS = DefaultTolerationSeconds.DEFAULT_SECONDS;

  private final Defaulting defaulting = new Defaulting();
  private final Validation validation = new Validation();
  private final List<MutatingPlugin> plugins;

  public Admission() {
    this(DEFAULT_TOLERATION_SECONDS, DEFAULT_TOLERATION_SECONDS);
  }

  /**
   * @param notReadyTolerationSeconds --default-not-ready-toleration-seconds
   * @param unreachableTolerationSeconds --default-unreachable-toleration-seconds
   */
  public Admission(long notReadyTolerationSeconds, long unreachableTolerationSeconds) {
    plugins = List.of(new ServiceAccountAdmission(), new PriorityAdmission(),
        new DefaultTolerationSeconds(notReadyTolerationSeconds, unreachableTolerationSeconds));
  }

  /** Kubernetes defaults on every decode, also of the bodies sent to a status subresource. */
  public void applyDefaults(ResourceType type, ObjectNode object) {
    defaulting.apply(type, object);
  }

  /**
   * A created, replaced or patched object as the client sent it: defaults, then the mutating
   * admission plugins.
   *
   * @param old the stored object on an update, null on a create
   */
  public void admit(ResourceType type, ObjectNode object, JsonNode old) {
    defaulting.apply(type, object);
    plugins.forEach(plugin -> plugin.admit(type, object, old));
    if (type.kind().equals("Service")) {
      // Before anything compares the specs: what the client left out of a resent manifest is kept.
      if (old == null) {
        ServiceStrategy.prepareForCreate(object);
      } else {
        ServiceStrategy.prepareForUpdate(object, defaulted(type, old));
      }
    }
  }

  /** A new object, once ObjectMeta and the create strategy have prepared it. */
  public void validateCreate(ResourceType type, ObjectNode object) {
    check(type, object, validation.validateCreate(type, object));
  }

  /**
   * A replaced or patched object, once ObjectMeta has prepared the update. The stored object
   * it is compared with is read as Kubernetes reads from etcd, defaulted: an object stored before
   * a default existed does not make every update look like a change.
   */
  public void validateUpdate(ResourceType type, ObjectNode object, JsonNode old) {
    check(type, object, validation.validateUpdate(type, object, defaulted(type, old)));
  }

  private ObjectNode defaulted(ResourceType type, JsonNode stored) {
    ObjectNode copy = stored.deepCopy();
    defaulting.apply(type, copy);
    return copy;
  }

  /** A write through the status subresource: the stored object with its new status. */
  public void validateStatusUpdate(ResourceType type, ObjectNode object, JsonNode old) {
    if (type.kind().equals("Pod")) {
      keepQosClass(object, old);
    }
    check(type, object, validation.validateStatusUpdate(type, object, old));
  }

  /** A pod's QoS class is the server's, set on create: a status written without it (old kubelets) keeps it. */
  private static void keepQosClass(ObjectNode pod, JsonNode old) {
    JsonNode qosClass = old.path("status").get("qosClass");
    if (pod.get("status") instanceof ObjectNode status && Fields.text(status,
        "qosClass").isEmpty() && qosClass != null) {
      status.set("qosClass", qosClass.deepCopy());
    }
  }

  private static void check(ResourceType type, JsonNode object, List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw ApiException.invalid(type, Fields.text(object.path("metadata"), "name"),
          errors.stream().map(FieldError::toCause).toList());
    }
  }
}
