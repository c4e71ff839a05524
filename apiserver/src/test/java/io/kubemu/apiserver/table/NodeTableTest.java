package io.kubemu.apiserver.table;

import static io.kubemu.apiserver.table.TableFixtures.ago;
import static io.kubemu.apiserver.table.TableFixtures.cell;
import static io.kubemu.apiserver.table.TableFixtures.cells;
import static io.kubemu.apiserver.table.TableFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code kubectl get nodes}: STATUS from the Ready condition and cordoning, ROLES from labels. */
class NodeTableTest {

  private static String node(String labels, String spec, String status) {
    return """
        {"kind":"Node","apiVersion":"v1",
         "metadata":{"name":"node-1","creationTimestamp":"%s","labels":%s},
         "spec":%s,"status":%s}
        """.formatted(ago(Duration.ofDays(2).plusHours(3)), labels, spec, status);
  }

  private static String withReady(String readyStatus) {
    return """
        {"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"%s"}],
         "addresses":[{"type":"Hostname","address":"node-1"},{"type":"InternalIP","address":"172.18.0.2"}],
         "nodeInfo":{"kubeletVersion":"v1.33.1","osImage":"Debian GNU/Linux 12 (bookworm)",
          "kernelVersion":"6.1.0-28-amd64","containerRuntimeVersion":"containerd://1.7.24"}}""".formatted(readyStatus);
  }

  @Test
  void kubectlShowsNameStatusRolesAgeVersionAndTheNodesSystemWithWide() {
    assertThat(headers("nodes", false)).containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION");
    assertThat(headers("nodes", true)).containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION",
        "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME");
  }

  @Test
  void aReadyNodeWithoutRolesPrintsReadyAndNone() {
    assertThat(cells("nodes", node("{}", "{}", withReady("True")))).containsExactly(
        "node-1", "Ready", "<none>", "2d3h", "v1.33.1",
        "172.18.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0-28-amd64", "containerd://1.7.24");
  }

  @Test
  void aNodeWhoseReadyConditionIsFalseOrUnknownIsNotReady() {
    assertThat(cell("nodes", node("{}", "{}", withReady("False")), "STATUS")).isEqualTo("NotReady");
    assertThat(cell("nodes", node("{}", "{}", withReady("Unknown")), "STATUS")).isEqualTo("NotReady");
  }

  @Test
  void aNodeThatNeverReportedIsUnknown() {
    assertThat(cell("nodes", node("{}", "{}", "{}"), "STATUS")).isEqualTo("Unknown");
  }

  @Test
  void aCordonedNodeAddsSchedulingDisabled() {
    String cordoned = "{\"unschedulable\":true}";

    assertThat(cell("nodes", node("{}", cordoned, withReady("True")), "STATUS")).isEqualTo("Ready,SchedulingDisabled");
    assertThat(cell("nodes", node("{}", cordoned, withReady("False")), "STATUS"))
        .isEqualTo("NotReady,SchedulingDisabled");
    assertThat(cell("nodes", node("{}", cordoned, "{}"), "STATUS")).isEqualTo("Unknown,SchedulingDisabled");
  }

  @Test
  void rolesComeFromNodeRoleLabelsAndTheRoleLabelSortedAndOnce() {
    String labels = """
        {"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/worker":"true",
         "kubernetes.io/role":"infra","node-role.kubernetes.io/":"","node-role.kubernetes.io/infra":"",
         "kubernetes.io/hostname":"node-1"}""";

    assertThat(cell("nodes", node(labels, "{}", withReady("True")), "ROLES")).isEqualTo("control-plane,infra,worker");
  }

  @Test
  void anEmptyRoleLabelValueIsNoRole() {
    assertThat(cell("nodes", node("{\"kubernetes.io/role\":\"\"}", "{}", withReady("True")), "ROLES"))
        .isEqualTo("<none>");
  }

  @Test
  void wideColumnsShowTheFirstAddressOfEachTypeAndUnknownForMissingSystemInfo() {
    String status = """
        {"addresses":[{"type":"ExternalIP","address":"203.0.113.7"},{"type":"InternalIP","address":"10.0.0.4"},
          {"type":"InternalIP","address":"10.0.0.5"}]}""";

    assertThat(cells("nodes", node("{}", "{}", status)).subList(4, 10))
        .containsExactly("", "10.0.0.4", "203.0.113.7", "<unknown>", "<unknown>", "<unknown>");
  }
}
