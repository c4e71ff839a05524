package io.kubemu.apiserver.patch;

import static io.kubemu.apiserver.patch.JsonText.object;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Objects and shorthands the strategic merge patch tests share. */
final class StrategicPatchFixtures {

  /** A Deployment as the apiserver stores it after `kubectl apply`: defaults filled in. */
  static final String NGINX_DEPLOYMENT = """
      {"apiVersion":"apps/v1","kind":"Deployment",
       "metadata":{"name":"nginx","namespace":"default","labels":{"app":"nginx"},
                   "annotations":{"deployment.kubernetes.io/revision":"1"}},
       "spec":{"replicas":2,"selector":{"matchLabels":{"app":"nginx"}},
               "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
               "template":{"metadata":{"labels":{"app":"nginx"}},
                           "spec":{"containers":[{"name":"nginx","image":"nginx:1.14.2",
                                                  "imagePullPolicy":"IfNotPresent",
                                                  "ports":[{"containerPort":80,"protocol":"TCP"}],
                                                  "terminationMessagePath":"/dev/termination-log"}],
                                   "restartPolicy":"Always","dnsPolicy":"ClusterFirst"}}}}
      """;

  /** Where a Deployment keeps its containers, as a JSON pointer. */
  static final String CONTAINERS = "/spec/template/spec/containers";

  private StrategicPatchFixtures() {
  }

  static ObjectNode patch(String live, String kind, String patch) {
    return patch(object(live), kind, patch);
  }

  static ObjectNode patch(ObjectNode live, String kind, String patch) {
    return StrategicMergePatch.apply(live, object(patch), kind);
  }

  static ObjectNode deploymentWithContainers(String containers) {
    return object("""
        {"kind":"Deployment","spec":{"template":{"spec":{"containers":%s}}}}""".formatted(containers));
  }
}
