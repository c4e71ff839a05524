package io.kubemu.scheduler.plugins;

import static io.kubemu.scheduler.TestObjects.node;
import static io.kubemu.scheduler.TestObjects.on;
import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodePortsTest {
  private final NodePorts plugin = new NodePorts();

  @Test
  void aHostPortInUseOnTheNodeConflicts() {
    NodeInfo node = new NodeInfo(node("n1"), List.of(on(withHostPort("a", 8080, null, "TCP"), "n1")));
    assertThat(plugin.filter(withHostPort("b", 8080, null, "TCP"), node))
        .isEqualTo(Status.unschedulable("node(s) didn't have free ports for the requested pod ports"));
    assertThat(plugin.filter(withHostPort("b", 8080, "10.0.0.1", "TCP"), node).fits()).isFalse();
  }

  @Test
  void anotherPortProtocolOrHostIpIsFree() {
    NodeInfo node = new NodeInfo(node("n1"), List.of(on(withHostPort("a", 8080, "10.0.0.1", "TCP"), "n1")));
    assertThat(plugin.filter(withHostPort("b", 8081, null, "TCP"), node).fits()).isTrue();
    assertThat(plugin.filter(withHostPort("b", 8080, null, "UDP"), node).fits()).isTrue();
    assertThat(plugin.filter(withHostPort("b", 8080, "10.0.0.2", "TCP"), node).fits()).isTrue();
    assertThat(plugin.filter(pod("c"), node).fits()).isTrue();
  }

  private static Pod withHostPort(String name, int port, String hostIp, String protocol) {
    return new PodBuilder(pod(name)).editSpec().editFirstContainer().addNewPort().withContainerPort(80)
        .withHostPort(port).withHostIP(hostIp).withProtocol(protocol).endPort().endContainer().endSpec().build();
  }
}
