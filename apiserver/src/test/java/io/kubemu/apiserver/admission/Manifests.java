package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.resource.Resources;

/** Objects for admission tests, written as the YAML a user would apply. */
final class Manifests {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Resources RESOURCES = new Resources();

  private Manifests() {}

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad test YAML: " + e.getMessage(), e);
    }
  }

  static ResourceType type(String kind) {
    return RESOURCES.all().stream().filter(t -> t.kind().equals(kind)).findFirst().orElseThrow();
  }

  /** A pod with just a name and an image, as {@code kubectl run web --image=nginx} sends it. */
  static ObjectNode pod(String image) {
    return yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default}
        spec:
          containers:
          - name: web
            image: %s
        """.formatted(image));
  }

  /** A Deployment as {@code kubectl create deployment web --image=nginx} sends it. */
  static ObjectNode deployment() {
    return yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
          labels: {app: web}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: web}
          strategy: {}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: nginx
                image: nginx
                resources: {}
        """);
  }

  static ObjectNode service(String spec) {
    return yaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec:
        """ + spec.indent(2));
  }
}
