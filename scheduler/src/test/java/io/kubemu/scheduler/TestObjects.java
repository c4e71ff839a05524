package io.kubemu.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Nodes and pods as the scheduler's unit tests need them. */
public final class TestObjects {
  private TestObjects() {
  }

  /** A node with this allocatable cpu, memory and pod count. */
  public static NodeBuilder node(String name, String cpu, String memory, int pods) {
    return new NodeBuilder()
        .withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
            "pods", new Quantity(Integer.toString(pods)))).endStatus();
  }

  public static Node node(String name) {
    return node(name, "4", "8Gi", 110).build();
  }

  /** A pod in namespace default with one container requesting this cpu and memory (null: none). */
  public static PodBuilder pod(String name, String cpu, String memory) {
    PodBuilder pod = new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx").withNewResources().endResources()
        .endContainer().endSpec();
    if (cpu != null) {
      pod.editSpec().editFirstContainer().editResources().addToRequests("cpu", new Quantity(cpu))
          .endResources().endContainer().endSpec();
    }
    if (memory != null) {
      pod.editSpec().editFirstContainer().editResources().addToRequests("memory", new Quantity(memory))
          .endResources().endContainer().endSpec();
    }
    return pod;
  }

  public static Pod pod(String name) {
    return pod(name, null, null).build();
  }

  /** The pod as if bound to {@code nodeName}. */
  public static Pod on(Pod pod, String nodeName) {
    return new PodBuilder(pod).editSpec().withNodeName(nodeName).endSpec().build();
  }

  /** The pod as one of the ReplicaSet {@code owner}'s. */
  public static Pod ownedBy(Pod pod, String owner) {
    return new PodBuilder(pod).editMetadata().addNewOwnerReference().withApiVersion("apps/v1")
        .withKind("ReplicaSet").withName(owner).withUid("uid-" + owner).withController(true).endOwnerReference()
        .endMetadata().build();
  }
}
