package io.kubemu.scheduler.plugins;

import io.kubemu.scheduler.framework.Framework;
import java.util.List;
import java.util.random.RandomGenerator;

/** The default profile: kube-scheduler's filters in its order, and the scorers kubemu has. */
public final class DefaultPlugins {
  private DefaultPlugins() {
  }

  public static Framework framework(RandomGenerator random) {
    NodeResourcesFit fit = new NodeResourcesFit();
    return new Framework(
        List.of(new NodeUnschedulable(), new NodeName(), new TaintToleration(), new NodeAffinity(),
            new NodePorts(), fit),
        List.of(fit, new SelectorSpread()),
        random);
  }
}
