package io.kubemu.scheduler.plugins;

import static io.kubemu.scheduler.TestObjects.node;
import static io.kubemu.scheduler.TestObjects.on;
import static io.kubemu.scheduler.TestObjects.ownedBy;
import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.scheduler.framework.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorSpreadTest {
  private final SelectorSpread plugin = new SelectorSpread();

  @Test
  void fewerSiblingsScoreHigher() {
    NodeInfo two = new NodeInfo(node("two"),
        List.of(on(ownedBy(pod("a"), "web"), "two"), on(ownedBy(pod("b"), "web"), "two")));
    NodeInfo one = new NodeInfo(node("one"), List.of(on(ownedBy(pod("c"), "web"), "one")));
    NodeInfo strangers = new NodeInfo(node("strangers"), List.of(on(ownedBy(pod("d"), "db"), "strangers")));
    assertThat(plugin.score(ownedBy(pod("p"), "web"), List.of(two, one, strangers))).containsExactly(0, 50, 100);
  }

  @Test
  void aPodWithoutControllerIsNotSpread() {
    NodeInfo node = new NodeInfo(node("n1"), List.of(on(ownedBy(pod("a"), "web"), "n1")));
    assertThat(plugin.score(pod("p"), List.of(node, new NodeInfo(node("n2"))))).containsExactly(0, 0);
  }
}
