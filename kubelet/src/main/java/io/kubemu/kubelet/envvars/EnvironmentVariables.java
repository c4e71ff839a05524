package io.kubemu.kubelet.envvars;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.kubemu.kubelet.container.CreateContainerConfigException;
import io.kubemu.kubelet.fieldpath.FieldPath;
import io.kubemu.kubelet.fieldpath.ResourceValues;
import io.kubemu.kubelet.objects.ObjectManager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's environment, as the kubelet's makeEnvironmentVariables: first the keys of the
 * envFrom ConfigMaps and Secrets (with their prefix), then each env entry in order, a value with its
 * {@code $(VAR)} references expanded against what came before and the Service variables, or a
 * valueFrom resolved (a pod field, a resource, a ConfigMap or Secret key); last the Service
 * variables ({@link ServiceEnvVars}) the container does not define itself. A ConfigMap, Secret or
 * key that is missing and not optional is a {@link CreateContainerConfigException} with
 * Kubernetes' message.
 */
public final class EnvironmentVariables {
  private static final Logger LOG = LoggerFactory.getLogger(EnvironmentVariables.class);

  /** Where the pod runs: the values only the kubelet knows. */
  public record PodAddresses(String hostIP, List<String> hostIPs, String podIP, List<String> podIPs) {}

  private final ObjectManager objects;
  private final Map<String, Quantity> nodeAllocatable;

  public EnvironmentVariables(ObjectManager objects, Map<String, Quantity> nodeAllocatable) {
    this.objects = objects;
    this.nodeAllocatable = nodeAllocatable;
  }

  /** The container's variables, in the order they are defined (Service variables last). */
  public Map<String, String> make(Pod pod, Container container, PodAddresses addresses)
      throws CreateContainerConfigException {
    String namespace = pod.getMetadata().getNamespace();
    boolean serviceLinks = pod.getSpec().getEnableServiceLinks() == null || pod.getSpec().getEnableServiceLinks();
    Map<String, String> serviceEnv;
    try {
      serviceEnv = ServiceEnvVars.forPod(namespace, serviceLinks, objects.services("default"),
          serviceLinks ? objects.services(namespace) : List.of());
    } catch (RuntimeException e) {
      throw new CreateContainerConfigException("failed to list services when setting up env vars");
    }
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Optional<ConfigMap>> configMaps = new HashMap<>();
    Map<String, Optional<Secret>> secrets = new HashMap<>();
    if (container.getEnvFrom() != null) {
      for (EnvFromSource source : container.getEnvFrom()) {
        String prefix = source.getPrefix() == null ? "" : source.getPrefix();
        Map<String, String> data;
        String description;
        if (source.getConfigMapRef() != null) {
          String name = source.getConfigMapRef().getName();
          Optional<ConfigMap> configMap = configMaps.computeIfAbsent(name, n -> objects.configMap(namespace, n));
          if (configMap.isEmpty()) {
            if (Boolean.TRUE.equals(source.getConfigMapRef().getOptional())) {
              continue;
            }
            throw new CreateContainerConfigException(ObjectManager.notFound("configmap", name));
          }
          data = configMap.get().getData() == null ? Map.of() : configMap.get().getData();
          description = "configMap " + namespace + "/" + name;
        } else if (source.getSecretRef() != null) {
          String name = source.getSecretRef().getName();
          Optional<Secret> secret = secrets.computeIfAbsent(name, n -> objects.secret(namespace, n));
          if (secret.isEmpty()) {
            if (Boolean.TRUE.equals(source.getSecretRef().getOptional())) {
              continue;
            }
            throw new CreateContainerConfigException(ObjectManager.notFound("secret", name));
          }
          data = new LinkedHashMap<>();
          for (Map.Entry<String, byte[]> entry : secretData(secret.get()).entrySet()) {
            data.put(entry.getKey(), new String(entry.getValue(), StandardCharsets.UTF_8));
          }
          description = "secret " + namespace + "/" + name;
        } else {
          continue;
        }
        List<String> invalid = new ArrayList<>();
        for (Map.Entry<String, String> entry : data.entrySet()) {
          String key = prefix + entry.getKey();
          if (isEnvVarName(key)) {
            env.put(key, entry.getValue());
          } else {
            invalid.add(key);
          }
        }
        if (!invalid.isEmpty()) {
          LOG.warn("pod {}/{}: Keys [{}] from the EnvFrom {} were skipped since they are considered invalid "
              + "environment variable names.", namespace, pod.getMetadata().getName(), String.join(", ", invalid),
              description);
        }
      }
    }
    if (container.getEnv() != null) {
      for (EnvVar variable : container.getEnv()) {
        String value = variable.getValue();
        if (value != null && !value.isEmpty()) {
          value = Expansion.expand(value, Expansion.mappingFor(env, serviceEnv));
        } else if (variable.getValueFrom() != null) {
          value = valueFrom(pod, container, variable.getValueFrom(), addresses, configMaps, secrets);
          if (value == null) {
            continue; // an optional ConfigMap or Secret (or key) that is not there
          }
        } else {
          value = "";
        }
        env.remove(variable.getName()); // a redefined variable takes its new place in the order
        env.put(variable.getName(), value);
      }
    }
    for (Map.Entry<String, String> entry : serviceEnv.entrySet()) {
      env.putIfAbsent(entry.getKey(), entry.getValue());
    }
    return env;
  }

  private String valueFrom(Pod pod, Container container, EnvVarSource source, PodAddresses addresses,
      Map<String, Optional<ConfigMap>> configMaps, Map<String, Optional<Secret>> secrets)
      throws CreateContainerConfigException {
    String namespace = pod.getMetadata().getNamespace();
    try {
      if (source.getFieldRef() != null) {
        return podField(pod, source.getFieldRef(), addresses);
      }
      if (source.getResourceFieldRef() != null) {
        return ResourceValues.extract(source.getResourceFieldRef(), container, nodeAllocatable);
      }
    } catch (FieldPath.UnsupportedFieldException e) {
      throw new CreateContainerConfigException(e.getMessage());
    }
    if (source.getConfigMapKeyRef() != null) {
      ConfigMapKeySelector ref = source.getConfigMapKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Optional<ConfigMap> configMap = configMaps.computeIfAbsent(ref.getName(), n -> objects.configMap(namespace, n));
      if (configMap.isEmpty()) {
        if (optional) {
          return null;
        }
        throw new CreateContainerConfigException(ObjectManager.notFound("configmap", ref.getName()));
      }
      Map<String, String> data = configMap.get().getData();
      String value = data == null ? null : data.get(ref.getKey());
      if (value == null && !optional) {
        throw new CreateContainerConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace
            + "/" + ref.getName());
      }
      return value;
    }
    if (source.getSecretKeyRef() != null) {
      SecretKeySelector ref = source.getSecretKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Optional<Secret> secret = secrets.computeIfAbsent(ref.getName(), n -> objects.secret(namespace, n));
      if (secret.isEmpty()) {
        if (optional) {
          return null;
        }
        throw new CreateContainerConfigException(ObjectManager.notFound("secret", ref.getName()));
      }
      byte[] value = secretData(secret.get()).get(ref.getKey());
      if (value == null && !optional) {
        throw new CreateContainerConfigException("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/"
            + ref.getName());
      }
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
    return "";
  }

  /** kubelet's podFieldSelectorRuntimeValue: what the kubelet knows at run time, else the pod's metadata. */
  static String podField(Pod pod, ObjectFieldSelector selector, PodAddresses addresses)
      throws FieldPath.UnsupportedFieldException {
    String path = selector.getFieldPath() == null ? "" : selector.getFieldPath();
    return switch (path) {
      case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
      case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
      case "status.hostIP" -> nullToEmpty(addresses.hostIP());
      case "status.hostIPs" -> String.join(",", addresses.hostIPs());
      case "status.podIP" -> nullToEmpty(addresses.podIP());
      case "status.podIPs" -> String.join(",", addresses.podIPs());
      default -> FieldPath.extract(pod, path);
    };
  }

  /** A Secret's data, decoded from base64; stringData (an apiserver that did not fold it into data) on top. */
  public static Map<String, byte[]> secretData(Secret secret) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((key, value) -> data.put(key, Base64.getMimeDecoder().decode(value)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((key, value) -> data.put(key, value.getBytes(StandardCharsets.UTF_8)));
    }
    return data;
  }

  /** Kubernetes' relaxed rule (RelaxedEnvironmentVariableValidation): printable ASCII other than '='. */
  static boolean isEnvVarName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < ' ' || c > '~' || c == '=') {
        return false;
      }
    }
    return true;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
