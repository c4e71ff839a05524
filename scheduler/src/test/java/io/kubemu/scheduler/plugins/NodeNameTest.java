package io.kubemu.scheduler.plugins;

import static io.kubemu.scheduler.TestObjects.node;
import static io.kubemu.scheduler.TestObjects.on;
import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;
import org.junit.jupiter.api.Test;

class NodeNameTest {
  private final NodeName plugin = new NodeName();

  @Test
  void aPodNamingANodeFitsOnlyThatNode() {
    var pod = on(pod("p"), "n1");
    assertThat(plugin.filter(pod, new NodeInfo(node("n1"))).fits()).isTrue();
    assertThat(plugin.filter(pod, new NodeInfo(node("n2"))))
        .isEqualTo(Status.unresolvable("node(s) didn't match the requested node name"));
  }

  @Test
  void aPodNamingNoNodeFitsAny() {
    assertThat(plugin.filter(pod("p"), new NodeInfo(node("n2"))).fits()).isTrue();
  }
}
