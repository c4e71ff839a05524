package io.kubemu.kubelet.nodestatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubemu.component.Version;
import io.kubemu.kubelet.runtime.RuntimeVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeStatusSettersTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-26T10:00:10Z");
  private static final NodeConfig CONFIG = new NodeConfig("node-1", "127.0.0.1", new Quantity("4"), new Quantity("8Gi"),
      110, 10250, new RuntimeVersion("simulated", Version.VERSION), Map.of(), List.of());
  private static final MachineInfo MACHINE = new MachineInfo("linux", "amd64", "Ubuntu 24.04", "6.8.0", "m", "s", "b");

  private static NodeCondition condition(NodeStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void aNewNodeReportsItsCapacityAddressesVersionsAndEndpoint() {
    NodeStatus status = NodeStatusSetters.nodeStatus(null, CONFIG, MACHINE, T0);
    assertThat(status.getCapacity()).containsEntry("cpu", new Quantity("4")).containsEntry("memory", new Quantity("8Gi"))
        .containsEntry("pods", new Quantity("110"));
    assertThat(status.getAllocatable()).isEqualTo(status.getCapacity());
    assertThat(status.getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
        .containsExactly("InternalIP=127.0.0.1", "Hostname=node-1");
    assertThat(status.getNodeInfo().getKubeletVersion()).isEqualTo(Version.KUBERNETES);
    assertThat(status.getNodeInfo().getContainerRuntimeVersion()).isEqualTo("simulated://" + Version.VERSION);
    assertThat(status.getNodeInfo().getOperatingSystem()).isEqualTo("linux");
    assertThat(status.getNodeInfo().getArchitecture()).isEqualTo("amd64");
    assertThat(status.getNodeInfo().getOsImage()).isEqualTo("Ubuntu 24.04");
    assertThat(status.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
  }

  @Test
  void conditionsCarryTheKubeletsReasonsInItsOrder() {
    NodeStatus status = NodeStatusSetters.nodeStatus(null, CONFIG, MACHINE, T0);
    assertThat(status.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus() + ":" + c.getReason())
        .containsExactly("MemoryPressure=False:KubeletHasSufficientMemory", "DiskPressure=False:KubeletHasNoDiskPressure",
            "PIDPressure=False:KubeletHasSufficientPID", "Ready=True:KubeletReady");
    assertThat(condition(status, "Ready").getMessage()).isEqualTo("kubelet is posting ready status");
    assertThat(condition(status, "Ready").getLastHeartbeatTime()).isEqualTo("2026-11-26T10:00:00Z");
  }

  @Test
  void aLaterStatusMovesHeartbeatsButKeepsTransitionTimes() {
    NodeStatus first = NodeStatusSetters.nodeStatus(null, CONFIG, MACHINE, T0);
    NodeStatus later = NodeStatusSetters.nodeStatus(first, CONFIG, MACHINE, T1);
    assertThat(condition(later, "Ready").getLastHeartbeatTime()).isEqualTo("2026-11-26T10:00:10Z");
    assertThat(condition(later, "Ready").getLastTransitionTime()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(NodeStatusSetters.changed(first, later)).isFalse();
  }

  @Test
  void aStatusReadBackFromTheApiserverIsNotAChange() {
    NodeStatus first = NodeStatusSetters.nodeStatus(null, CONFIG, MACHINE, T0);
    NodeStatus stored = Serialization.unmarshal(Serialization.asJson(first), NodeStatus.class);
    assertThat(NodeStatusSetters.changed(stored, NodeStatusSetters.nodeStatus(stored, CONFIG, MACHINE, T1))).isFalse();
  }

  @Test
  void aNotReadyNodeBecomingReadyTransitionsAndIsAChange() {
    NodeStatus first = NodeStatusSetters.nodeStatus(null, CONFIG, MACHINE, T0);
    List<NodeCondition> conditions = new ArrayList<>(first.getConditions());
    conditions.set(3, new NodeConditionBuilder(conditions.get(3)).withStatus("False").withReason("KubeletNotReady")
        .build());
    first.setConditions(conditions);
    NodeStatus later = NodeStatusSetters.nodeStatus(first, CONFIG, MACHINE, T1);
    assertThat(condition(later, "Ready").getLastTransitionTime()).isEqualTo("2026-11-26T10:00:10Z");
    assertThat(NodeStatusSetters.changed(first, later)).isTrue();
  }

  @Test
  void othersConditionsAreKept() {
    NodeStatus first = NodeStatusSetters.nodeStatus(null, CONFIG, MACHINE, T0);
    List<NodeCondition> conditions = new ArrayList<>(first.getConditions());
    conditions.add(new NodeConditionBuilder().withType("NetworkUnavailable").withStatus("False")
        .withReason("RouteCreated").build());
    first.setConditions(conditions);
    assertThat(NodeStatusSetters.nodeStatus(first, CONFIG, MACHINE, T1).getConditions())
        .extracting(NodeCondition::getType).contains("NetworkUnavailable");
  }

  @Test
  void defaultLabelsNameTheHostOsArchAndSimulatedRuntime() {
    assertThat(NodeStatusSetters.defaultLabels(CONFIG, MACHINE)).containsEntry("kubernetes.io/hostname", "node-1")
        .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64")
        .containsEntry("beta.kubernetes.io/os", "linux").containsEntry("beta.kubernetes.io/arch", "amd64")
        .containsEntry("kubemu.io/runtime", "simulated");
  }

  @Test
  void javaArchitecturesAreReportedWithGoNames() {
    assertThat(MachineInfo.architecture("x86_64")).isEqualTo("amd64");
    assertThat(MachineInfo.architecture("aarch64")).isEqualTo("arm64");
  }
}
