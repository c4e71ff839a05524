package io.kubemu.apiserver.table;

import static io.kubemu.apiserver.table.TableFixtures.ago;
import static io.kubemu.apiserver.table.TableFixtures.cell;
import static io.kubemu.apiserver.table.TableFixtures.cells;
import static io.kubemu.apiserver.table.TableFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code kubectl get deployments} and {@code replicasets}: replica counts, and the template with wide. */
class WorkloadTableTest {

  private static final String TEMPLATE = """
      "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
        {"name":"web","image":"nginx:1.27"},{"name":"proxy","image":"envoyproxy/envoy:v1.30"}]}}""";

  private static String workload(String kind, String apiVersion, String spec, String status) {
    return """
        {"kind":"%s","apiVersion":"%s",
         "metadata":{"name":"web","namespace":"default","creationTimestamp":"%s"},
         "spec":%s,"status":%s}
        """.formatted(kind, apiVersion, ago(Duration.ofMinutes(3).plusSeconds(20)), spec, status);
  }

  private static String deployment(String spec, String status) {
    return workload("Deployment", "apps/v1", spec, status);
  }

  private static String replicaSet(String spec, String status) {
    return workload("ReplicaSet", "apps/v1", spec, status);
  }

  @Test
  void kubectlShowsTheReplicaCountsAndTheTemplateWithWide() {
    assertThat(headers("deployments", false)).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
    assertThat(headers("deployments", true)).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE",
        "CONTAINERS", "IMAGES", "SELECTOR");
    assertThat(headers("replicasets", false)).containsExactly("NAME", "DESIRED", "CURRENT", "READY", "AGE");
    assertThat(headers("replicasets", true)).containsExactly("NAME", "DESIRED", "CURRENT", "READY", "AGE",
        "CONTAINERS", "IMAGES", "SELECTOR");
  }

  @Test
  void aDeploymentShowsReadyOutOfDesiredThenUpdatedAndAvailable() {
    String web = deployment("{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"web\"}}," + TEMPLATE + "}",
        "{\"replicas\":3,\"readyReplicas\":2,\"updatedReplicas\":3,\"availableReplicas\":2}");

    assertThat(cells("deployments", web)).containsExactly("web", "2/3", 3L, 2L, "3m20s",
        "web,proxy", "nginx:1.27,envoyproxy/envoy:v1.30", "app=web");
  }

  @Test
  void aNewDeploymentWithoutStatusOrReplicasShowsZeroOfOne() {
    String web = deployment("{\"selector\":{\"matchLabels\":{\"app\":\"web\"}}," + TEMPLATE + "}", "{}");

    assertThat(cells("deployments", web)).startsWith("web", "0/1", 0L, 0L);
  }

  @Test
  void aDeploymentScaledToZeroShowsZeroOfZero() {
    String web = deployment("{\"replicas\":0," + TEMPLATE + "}", "{}");

    assertThat(cell("deployments", web, "READY")).isEqualTo("0/0");
  }

  @Test
  void selectorsPrintRequirementsSortedByKeyWithSetOperators() {
    String selector = """
        {"matchLabels":{"tier":"front","app":"web"},"matchExpressions":[
          {"key":"env","operator":"NotIn","values":["prod","dev"]},
          {"key":"track","operator":"In","values":["stable","canary"]},
          {"key":"legacy","operator":"DoesNotExist"},{"key":"owner","operator":"Exists"}]}""";
    String web = deployment("{\"replicas\":1,\"selector\":" + selector + "," + TEMPLATE + "}", "{}");

    assertThat(cell("deployments", web, "SELECTOR"))
        .isEqualTo("app=web,env notin (dev,prod),!legacy,owner,tier=front,track in (canary,stable)");
  }

  @Test
  void aBrokenSelectorPrintsInvalidForDeploymentsAndErrorForReplicaSets() {
    String selector = "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Matches\",\"values\":[\"w.*\"]}]}";

    assertThat(cell("deployments", deployment("{\"selector\":" + selector + "}", "{}"), "SELECTOR"))
        .isEqualTo("<invalid>");
    assertThat(cell("replicasets", replicaSet("{\"selector\":" + selector + "}", "{}"), "SELECTOR"))
        .isEqualTo("<error>");
  }

  @Test
  void aReplicaSetShowsDesiredCurrentAndReadyAsNumbers() {
    String web = replicaSet("{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"web\",\"pod-template-hash\":"
        + "\"5d4f8\"}}," + TEMPLATE + "}", "{\"replicas\":3,\"readyReplicas\":1,\"availableReplicas\":1}");

    assertThat(cells("replicasets", web)).containsExactly("web", 3L, 3L, 1L, "3m20s",
        "web,proxy", "nginx:1.27,envoyproxy/envoy:v1.30", "app=web,pod-template-hash=5d4f8");
  }

  @Test
  void aMissingSelectorPrintsEmptyForDeploymentsAndNoneForReplicaSets() {
    assertThat(cell("deployments", deployment("{}", "{}"), "SELECTOR")).isEqualTo("");
    assertThat(cell("replicasets", replicaSet("{}", "{}"), "SELECTOR")).isEqualTo("<none>");
    assertThat(cell("replicasets", replicaSet("{\"selector\":{}}", "{}"), "SELECTOR")).isEqualTo("<none>");
  }
}
