package io.kubemu.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** Which updates of a pod the kubelet takes for a status change only (Kubernetes' checkAndUpdatePod). */
class PodUpdatesTest {
  private static Pod pod(String resourceVersion, String phase) {
    return new PodBuilder()
        .withNewMetadata().withName("web").withNamespace("shop").withUid("u-1").withResourceVersion(resourceVersion)
          .addToLabels("app", "web").addToAnnotations("note", "a").endMetadata()
        .withNewSpec().withNodeName("node-1").addNewContainer().withName("web").withImage("nginx").endContainer()
          .endSpec()
        .withNewStatus().withPhase(phase).endStatus()
        .build();
  }

  @Test
  void aNewStatusAloneIsAStatusChange() {
    assertThat(Kubelet.statusOnlyChanged(pod("7", "Pending"), pod("8", "Running"))).isTrue();
  }

  @Test
  void aResyncOfTheSameVersionIsNot() {
    assertThat(Kubelet.statusOnlyChanged(pod("7", "Running"), pod("7", "Running"))).isFalse();
  }

  @Test
  void aChangedSpecLabelAnnotationOrDeletionIsAPodUpdate() {
    Pod before = pod("7", "Running");
    Pod image = pod("8", "Running");
    image.getSpec().getContainers().get(0).setImage("nginx:2");
    Pod label = pod("8", "Running");
    label.getMetadata().getLabels().put("tier", "front");
    Pod annotation = pod("8", "Running");
    annotation.getMetadata().getAnnotations().put("note", "b");
    Pod deleted = pod("8", "Running");
    deleted.getMetadata().setDeletionTimestamp("2026-11-28T20:00:00Z");
    deleted.getMetadata().setDeletionGracePeriodSeconds(30L);

    for (Pod after : new Pod[] {image, label, annotation, deleted}) {
      assertThat(Kubelet.statusOnlyChanged(before, after)).isFalse();
    }
  }
}
