package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real kubectl (1.33, installed by .ci/run) against the real apiserver over a real
 * store, with its default flags; checked by its exit code and what it prints.
 */
class KubectlIT {
  @RegisterExtension
  static final ControlPlane cluster = new ControlPlane();

  static Kubectl.Run kubectl(String... args) throws IOException, InterruptedException {
    return cluster.kubectl().run(args);
  }

  static Path file(String name, String content) throws IOException {
    return cluster.kubectl().file(name, content);
  }

  static String deploymentYaml(String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nginx-deployment
          labels: {app: nginx}
        spec:
          replicas: 3
          selector:
            matchLabels: {app: nginx}
          template:
            metadata:
              labels: {app: nginx}
            spec:
              containers:
              - name: nginx
                image: %s
                ports:
                - containerPort: 80
        """.formatted(image);
  }

  @Test
  void applyCreatesThenPatchesTheSameDeployment() throws Exception {
    Kubectl.Run created = kubectl("apply", "-f", file("deploy.yaml", deploymentYaml("nginx:1.14.2")).toString());
    assertThat(created.out()).contains("deployment.apps/nginx-deployment created");
    assertThat(created.code()).isZero();

    Kubectl.Run configured = kubectl("apply", "-f", file("deploy2.yaml", deploymentYaml("nginx:1.16.1")).toString());
    assertThat(configured.out()).contains("deployment.apps/nginx-deployment configured");
    assertThat(kubectl("get", "deploy", "nginx-deployment", "-o", "jsonpath={.spec.template.spec.containers[0].image} "
        + "{.metadata.generation}").out()).isEqualTo("nginx:1.16.1 2");

    Kubectl.Run unchanged = kubectl("apply", "-f", cluster.kubectl().dir().resolve("deploy2.yaml").toString());
    assertThat(unchanged.out()).contains("deployment.apps/nginx-deployment unchanged");
  }

  @Test
  void aTypoInAManifestIsRefusedByStrictFieldValidation() throws Exception {
    Kubectl.Run refused = kubectl("apply", "-f", file("typo.yaml", deploymentYaml("nginx").replace("replicas:", "replicaz:")
        .replace("nginx-deployment", "typo")).toString());
    assertThat(refused.code()).isNotZero();
    assertThat(refused.out()).contains("strict decoding error: unknown field \"spec.replicaz\"");
  }

  @Test
  void theSeedsImperativeStepsWork() throws Exception {
    assertThat(kubectl("create", "namespace", "seed").out()).contains("namespace/seed created");
    assertThat(kubectl("create", "deployment", "nginx-deployment", "--image=nginx", "-n", "seed").out())
        .contains("deployment.apps/nginx-deployment created");
    assertThat(kubectl("scale", "deploy", "nginx-deployment", "--replicas=3", "-n", "seed").out())
        .contains("deployment.apps/nginx-deployment scaled");
    assertThat(kubectl("get", "deploy", "nginx-deployment", "-n", "seed", "-o", "jsonpath={.spec.replicas}").out())
        .isEqualTo("3");
    assertThat(kubectl("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.27", "-n", "seed").out())
        .contains("image updated");
    assertThat(kubectl("label", "deploy", "nginx-deployment", "tier=web", "-n", "seed").out()).contains("labeled");
    assertThat(kubectl("annotate", "deploy", "nginx-deployment", "owner=team-a", "-n", "seed").out()).contains("annotated");
    assertThat(kubectl("get", "deploy", "-n", "seed", "--show-labels").out()).contains("tier=web");

    Kubectl.Run wide = kubectl("get", "deploy", "-n", "seed", "-o", "wide");
    assertThat(wide.out().lines().findFirst().orElseThrow())
        .containsSubsequence("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR");
    assertThat(wide.out()).contains("nginx:1.27", "app=nginx-deployment");

    assertThat(kubectl("patch", "deploy", "nginx-deployment", "-n", "seed", "--type=merge",
        "-p", "{\"spec\":{\"paused\":true}}").out()).contains("patched");
    assertThat(kubectl("patch", "deploy", "nginx-deployment", "-n", "seed", "--type=json",
        "-p", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}]").out()).contains("patched");
    assertThat(kubectl("get", "deploy", "nginx-deployment", "-n", "seed", "-o", "jsonpath={.spec.replicas} {.spec.paused}")
        .out()).isEqualTo("2 true");

    Kubectl.Run deleted = kubectl("delete", "deploy", "nginx-deployment", "-n", "seed");
    assertThat(deleted.code()).isZero();
    assertThat(deleted.out()).contains("deployment.apps \"nginx-deployment\" deleted");
    assertThat(kubectl("get", "deploy", "nginx-deployment", "-n", "seed").out()).contains("NotFound");
  }

  @Test
  void getPrintsKubernetesColumnsForEveryKindAndAcrossNamespaces() throws Exception {
    kubectl("create", "configmap", "settings", "--from-literal=a=b");
    kubectl("create", "secret", "generic", "token", "--from-literal=a=b");
    kubectl("create", "service", "clusterip", "web", "--tcp=80:8080");
    Kubectl.Run all = kubectl("get", "configmaps,secrets,services", "-A");
    assertThat(all.code()).isZero();
    assertThat(all.out()).contains("configmap/settings", "secret/token", "service/web", "NAMESPACE");
    Kubectl.Run namespaces = kubectl("get", "ns");
    assertThat(namespaces.out().lines().findFirst().orElseThrow()).containsSubsequence("NAME", "STATUS", "AGE");
    assertThat(namespaces.out()).contains("kube-system", "Active");
    Kubectl.Run yaml = kubectl("get", "cm", "settings", "-o", "yaml");
    assertThat(yaml.out()).contains("kind: ConfigMap", "resourceVersion:", "uid:");
    assertThat(kubectl("delete", "cm", "settings").code()).isZero();
  }

  @Test
  void discoveryAndExplainWork() throws Exception {
    Kubectl.Run resources = kubectl("api-resources");
    assertThat(resources.code()).isZero();
    assertThat(resources.out()).contains("deployments", "deploy", "apps/v1", "replicasets", "rs", "endpointslices");
    Kubectl.Run explain = kubectl("explain", "deployment.spec.replicas");
    assertThat(explain.code()).isZero();
    assertThat(explain.out()).contains("replicas", "<integer>");
  }
  @Test
  void runCreatesAPodThatGetWatchAndDeleteFollow() throws Exception {
    kubectl("create", "namespace", "watched");
    try (Kubectl.Running watch = cluster.kubectl().start("get", "pods", "-n", "watched", "-w")) {
      assertThat(kubectl("run", "busy", "--image=busybox:1.36", "--restart=Never", "-n", "watched").out())
          .contains("pod/busy created");
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(watch.out())
          .containsPattern("(?m)^busy\\s+0/1\\s+Pending\\s+0\\s+"));
      assertThat(kubectl("label", "pod", "busy", "-n", "watched", "stage=two").out()).contains("pod/busy labeled");
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(watch.out().lines().filter(line -> line.startsWith("busy "))).hasSizeGreaterThanOrEqualTo(2));
    }
    assertThat(kubectl("get", "pod", "busy", "-n", "watched", "-o", "jsonpath={.spec.containers[0].image}").out())
        .isEqualTo("busybox:1.36");
    // Not on a node yet, so nothing has to stop: the delete is immediate and kubectl's wait ends at once.
    Kubectl.Run deleted = kubectl("delete", "pod", "busy", "-n", "watched");
    assertThat(deleted.code()).isZero();
    assertThat(deleted.out()).contains("pod \"busy\" deleted");
  }

  @Test
  void patchWithoutATypeIsAStrategicMergeKeyedByContainerName() throws Exception {
    kubectl("create", "namespace", "patched");
    kubectl("apply", "-n", "patched", "-f", file("patched.yaml", deploymentYaml("nginx:1.14.2")).toString());
    Kubectl.Run patched = kubectl("patch", "deploy", "nginx-deployment", "-n", "patched",
        "-p", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox\"}]}}}}");
    assertThat(patched.out()).contains("deployment.apps/nginx-deployment patched");
    assertThat(kubectl("get", "deploy", "nginx-deployment", "-n", "patched", "-o",
        "jsonpath={.spec.template.spec.containers[*].name}").out()).isEqualTo("sidecar nginx");
  }

  @Test
  void cordonAndUncordonMarkTheNodeUnschedulable() throws Exception {
    kubectl("apply", "-f", file("node.yaml", "apiVersion: v1\nkind: Node\nmetadata: {name: node-7}\n").toString());
    assertThat(kubectl("cordon", "node-7").out()).contains("node/node-7 cordoned");
    assertThat(kubectl("get", "node", "node-7").out()).contains("SchedulingDisabled");
    assertThat(kubectl("get", "node", "node-7", "-o", "jsonpath={.spec.unschedulable}").out()).isEqualTo("true");
    assertThat(kubectl("uncordon", "node-7").out()).contains("node/node-7 uncordoned");
    assertThat(kubectl("get", "node", "node-7").out()).doesNotContain("SchedulingDisabled");
  }

  @Test
  void deleteWithCascadeOrphanWaitsForTheGarbageCollectorsFinalizer() throws Exception {
    kubectl("create", "namespace", "orphans");
    kubectl("create", "deployment", "keep", "--image=nginx", "-n", "orphans");
    try (Kubectl.Running delete = cluster.kubectl().start("delete", "deploy", "keep", "-n", "orphans", "--cascade=orphan")) {
      // The server marks the object and adds the orphan finalizer; kubectl waits for it to go.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kubectl("get", "deploy", "keep",
          "-n", "orphans", "-o", "jsonpath={.metadata.finalizers}").out()).contains("orphan"));
      assertThat(delete.process().isAlive()).isTrue();
      // The garbage collector's part (the controller-manager's): dependents orphaned, the finalizer removed.
      kubectl("patch", "deploy", "keep", "-n", "orphans", "--type=json",
          "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
      Kubectl.Run deleted = delete.await();
      assertThat(deleted.code()).as(deleted.out()).isZero();
      assertThat(deleted.out()).contains("deployment.apps \"keep\" deleted");
    }
    assertThat(kubectl("get", "deploy", "keep", "-n", "orphans").out()).contains("NotFound");
  }
}
