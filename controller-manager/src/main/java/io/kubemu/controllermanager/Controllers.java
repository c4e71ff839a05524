package io.kubemu.controllermanager;

import io.kubemu.controllermanager.deployment.DeploymentController;
import io.kubemu.controllermanager.endpoint.EndpointsController;
import io.kubemu.controllermanager.endpointslice.EndpointSliceController;
import io.kubemu.controllermanager.garbagecollector.GarbageCollector;
import io.kubemu.controllermanager.namespace.NamespaceController;
import io.kubemu.controllermanager.nodeipam.NodeIpamController;
import io.kubemu.controllermanager.nodelifecycle.NodeLifecycleController;
import io.kubemu.controllermanager.replicaset.ReplicaSetController;
import io.kubemu.controllermanager.serviceaccount.ServiceAccountsController;
import io.kubemu.controllermanager.tainteviction.TaintEvictionController;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every controller this controller-manager can run, under kube-controller-manager's names (and
 * their older short aliases, as {@code --controllers} takes both). Adding a controller is adding
 * a line here.
 */
public final class Controllers {
  /** A controller by name, and how to build it. */
  public record Descriptor(String name, String alias, Function<ControllerContext, Controller> constructor) {
    boolean isNamed(String given) {
      return name.equals(given) || alias.equals(given);
    }
  }

  public static final List<Descriptor> ALL = List.of(
      new Descriptor("serviceaccount-controller", "serviceaccount", ServiceAccountsController::new),
      new Descriptor("namespace-controller", "namespace", NamespaceController::new),
      new Descriptor("garbage-collector-controller", "garbagecollector", GarbageCollector::new),
      new Descriptor("replicaset-controller", "replicaset", ReplicaSetController::new),
      new Descriptor("deployment-controller", "deployment", DeploymentController::new),
      new Descriptor("endpoints-controller", "endpoint", EndpointsController::new),
      new Descriptor("endpointslice-controller", "endpointslice", EndpointSliceController::new),
      new Descriptor("node-ipam-controller", "nodeipam", NodeIpamController::new),
      new Descriptor("node-lifecycle-controller", "nodelifecycle", NodeLifecycleController::new),
      new Descriptor("taint-eviction-controller", "taint-eviction-controller", TaintEvictionController::new));

  private Controllers() {}

  /**
   * The controllers {@code --controllers} enables, as kube-controller-manager reads it: {@code *}
   * every controller, {@code foo} foo, {@code -foo} not foo; the first entry naming a controller
   * decides.
   *
   * @throws IllegalArgumentException for a name no controller has
   */
  public static List<Descriptor> enabled(List<String> flag) {
    for (String entry : flag) {
      String given = entry.startsWith("-") ? entry.substring(1) : entry;
      if (!given.equals("*") && ALL.stream().noneMatch(d -> d.isNamed(given))) {
        throw new IllegalArgumentException("\"" + given + "\" is not in the list of known controllers");
      }
    }
    List<Descriptor> enabled = new ArrayList<>();
    for (Descriptor descriptor : ALL) {
      if (isEnabled(descriptor, flag)) {
        enabled.add(descriptor);
      }
    }
    return enabled;
  }

  private static boolean isEnabled(Descriptor descriptor, List<String> flag) {
    boolean star = false;
    for (String entry : flag) {
      if (descriptor.isNamed(entry)) {
        return true;
      }
      if (entry.startsWith("-") && descriptor.isNamed(entry.substring(1))) {
        return false;
      }
      star |= entry.equals("*");
    }
    return star; // every controller here is on by default
  }
}
