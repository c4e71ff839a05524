package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.Quantity;
import java.util.List;

/**
 * Kubernetes' SetDefaults_PodSpec and the defaulters of everything inside a PodSpec, wherever
 * one appears (a Pod, a Deployment's or ReplicaSet's template): pod policies, and for every
 * container its pull policy, termination message, port protocols, probes; volumes' file modes.
 */
final class PodSpecDefaults {
  static final int TERMINATION_GRACE_PERIOD_SECONDS = 30;
  /** 0644, the mode of files projected from ConfigMaps, Secrets and the downward API. */
  static final int DEFAULT_FILE_MODE = 420;
  private static final int TOKEN_EXPIRATION_SECONDS = 3600;
  private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");
  private static final List<String> PROBES = List.of("livenessProbe", "readinessProbe", "startupProbe");
  private static final List<String> FILE_VOLUMES = List.of("configMap", "secret", "downwardAPI", "projected");

  private PodSpecDefaults() {}

  static void apply(ObjectNode spec, String kind) {
    Fields.defaultText(spec, "dnsPolicy", "ClusterFirst");
    Fields.defaultText(spec, "restartPolicy", "Always");
    Fields.object(spec, "securityContext");
    Fields.defaultNumber(spec, "terminationGracePeriodSeconds", TERMINATION_GRACE_PERIOD_SECONDS);
    Fields.defaultText(spec, "schedulerName", "default-scheduler");
    serviceAccountAlias(spec);
    for (String list : CONTAINER_LISTS) {
      for (ObjectNode container : Fields.objects(spec, list)) {
        container(container, kind);
      }
    }
    for (ObjectNode volume : Fields.objects(spec, "volumes")) {
      volume(volume);
    }
  }

  /**
   * {@code serviceAccount} is the deprecated spelling of {@code serviceAccountName}: an old
   * client's value is taken, and the server always writes both.
   */
  static void serviceAccountAlias(ObjectNode spec) {
    String name = Fields.text(spec, "serviceAccountName");
    if (name.isEmpty()) {
      name = Fields.text(spec, "serviceAccount");
    }
    if (!name.isEmpty()) {
      spec.put("serviceAccountName", name).put("serviceAccount", name);
    }
  }

  /** Always pull an image tagged latest (or untagged: latest is implied); a tagged or pinned one only when missing. */
  static String imagePullPolicy(String image) {
    if (image.isEmpty()) {
      return "IfNotPresent"; // Kubernetes cannot parse it, so finds no tag
    }
    String reference = image;
    int at = reference.indexOf('@');
    boolean digest = at >= 0;
    if (digest) {
      reference = reference.substring(0, at);
    }
    int colon = reference.lastIndexOf(':');
    String tag = colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : (digest ? "" : "latest");
    return tag.equals("latest") ? "Always" : "IfNotPresent";
  }

  private static void container(ObjectNode container, String kind) {
    if (Fields.isZero(container.get("imagePullPolicy"))) {
      container.put("imagePullPolicy", imagePullPolicy(Fields.text(container, "image")));
    }
    Fields.defaultText(container, "terminationMessagePath", "/dev/termination-log");
    Fields.defaultText(container, "terminationMessagePolicy", "File");
    ObjectNode resources = Fields.object(container, "resources");
    if (resources != null) {
      checkQuantities(resources, kind);
    }
    for (ObjectNode port : Fields.objects(container, "ports")) {
      Fields.defaultText(port, "protocol", "TCP");
    }
    for (ObjectNode env : Fields.objects(container, "env")) {
      fieldRef(env.path("valueFrom"));
    }
    for (String probe : PROBES) {
      if (container.get(probe) instanceof ObjectNode settings) {
        probe(settings);
      }
    }
    if (container.get("lifecycle") instanceof ObjectNode lifecycle) {
      for (String hook : List.of("postStart", "preStop")) {
        if (lifecycle.get(hook) instanceof ObjectNode handler) {
          handler(handler);
        }
      }
    }
  }

  private static void probe(ObjectNode probe) {
    Fields.defaultNonZero(probe, "timeoutSeconds", 1);
    Fields.defaultNonZero(probe, "periodSeconds", 10);
    Fields.defaultNonZero(probe, "successThreshold", 1);
    Fields.defaultNonZero(probe, "failureThreshold", 3);
    handler(probe);
  }

  /** A probe's or lifecycle hook's action. */
  private static void handler(ObjectNode handler) {
    if (handler.get("httpGet") instanceof ObjectNode httpGet) {
      Fields.defaultText(httpGet, "path", "/");
      Fields.defaultText(httpGet, "scheme", "HTTP");
    }
    if (handler.get("grpc") instanceof ObjectNode grpc && Fields.isNull(grpc.get("service"))) {
      grpc.put("service", "");
    }
  }

  private static void volume(ObjectNode volume) {
    boolean hasSource = false;
    var fields = volume.fieldNames();
    while (fields.hasNext()) {
      hasSource |= !fields.next().equals("name");
    }
    if (!hasSource) {
      volume.putObject("emptyDir");
    }
    for (String source : FILE_VOLUMES) {
      if (volume.get(source) instanceof ObjectNode settings) {
        Fields.defaultNumber(settings, "defaultMode", DEFAULT_FILE_MODE);
      }
    }
    if (volume.get("hostPath") instanceof ObjectNode hostPath && Fields.isNull(hostPath.get("type"))) {
      hostPath.put("type", ""); // HostPathUnset: mount whatever is there
    }
    for (ObjectNode item : Fields.objects(volume.path("downwardAPI"), "items")) {
      fieldRef(item);
    }
    for (ObjectNode source : Fields.objects(volume.path("projected"), "sources")) {
      if (source.get("serviceAccountToken") instanceof ObjectNode token) {
        Fields.defaultNumber(token, "expirationSeconds", TOKEN_EXPIRATION_SECONDS);
      }
      for (ObjectNode item : Fields.objects(source.path("downwardAPI"), "items")) {
        fieldRef(item);
      }
    }
  }

  /** A downward API reference to a pod field names the API version it reads, v1 unless said. */
  private static void fieldRef(JsonNode holder) {
    if (holder.get("fieldRef") instanceof ObjectNode fieldRef) {
      Fields.defaultText(fieldRef, "apiVersion", "v1");
    }
  }

  /** A quantity that is not one cannot be decoded at all: Kubernetes answers 400, not 422. */
  private static void checkQuantities(ObjectNode resources, String kind) {
    for (String list : List.of("limits", "requests")) {
      resources.path(list).fields().forEachRemaining(entry -> {
        if (Quantity.parse(Fields.text(entry.getValue())) == null) {
          throw ApiException.badRequest(kind + " in version \"v1\" cannot be handled as a " + kind
              + ": quantities must match the regular expression '" + Quantity.FORMAT + "'");
        }
      });
    }
  }
}
