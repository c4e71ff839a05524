package io.kubemu.controllermanager.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceReconcilerTest {
  private static final Instant TRIGGER = Instant.parse("2026-01-01T00:00:00Z");

  static Pod pod(String name, String ip, boolean ready) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name)
        .addToLabels("app", "web").endMetadata()
        .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").addNewPort().withName("http")
          .withContainerPort(8080).endPort().endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).addNewCondition().withType("Ready")
          .withStatus(ready ? "True" : "False").endCondition().endStatus().build();
  }

  static Service service() {
    return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("svc-uid")
        .addToLabels("tier", "front").endMetadata()
        .withNewSpec().addToSelector("app", "web").addNewPort().withName("http").withPort(80)
          .withNewTargetPort("http").endPort().endSpec().build();
  }

  /** What the apiserver gives back for a created slice. */
  private static EndpointSlice stored(EndpointSlice slice, String name) {
    return new EndpointSliceBuilder(slice).editMetadata().withName(name).withGenerateName(null).endMetadata().build();
  }

  @Test
  void aNewServiceGetsOneSliceWithItsEndpointsConditionsAndOwner() {
    SliceReconciler.Plan plan = SliceReconciler.reconcile(service(),
        List.of(pod("a", "10.0.0.1", true), pod("b", "10.0.0.2", false),
            new PodBuilder(pod("c", "10.0.0.3", true)).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata().build()),
        node -> "zone-a", List.of(), 100, TRIGGER);
    assertThat(plan.update()).isEmpty();
    assertThat(plan.delete()).isEmpty();
    EndpointSlice slice = plan.create().get(0);
    assertThat(plan.create()).hasSize(1);
    assertThat(slice.getMetadata().getGenerateName()).isEqualTo("web-");
    assertThat(slice.getAddressType()).isEqualTo("IPv4");
    assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
        .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
        .containsEntry("tier", "front");
    assertThat(slice.getMetadata().getAnnotations())
        .containsEntry("endpoints.kubernetes.io/last-change-trigger-time", "2026-01-01T00:00:00Z");
    assertThat(slice.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("Service");
      assertThat(owner.getUid()).isEqualTo("svc-uid");
      assertThat(owner.getController()).isTrue();
    });
    assertThat(slice.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort()).isEqualTo(8080));
    assertThat(slice.getEndpoints()).hasSize(3);
    Endpoint a = slice.getEndpoints().stream().filter(e -> e.getAddresses().contains("10.0.0.1")).findFirst().get();
    assertThat(a.getConditions().getReady()).isTrue();
    assertThat(a.getConditions().getServing()).isTrue();
    assertThat(a.getConditions().getTerminating()).isFalse();
    assertThat(a.getNodeName()).isEqualTo("node-1");
    assertThat(a.getZone()).isEqualTo("zone-a");
    assertThat(a.getTargetRef().getName()).isEqualTo("a");
    Endpoint b = slice.getEndpoints().stream().filter(e -> e.getAddresses().contains("10.0.0.2")).findFirst().get();
    assertThat(b.getConditions().getReady()).isFalse();
    Endpoint c = slice.getEndpoints().stream().filter(e -> e.getAddresses().contains("10.0.0.3")).findFirst().get();
    assertThat(c.getConditions().getReady()).isFalse(); // terminating: never ready
    assertThat(c.getConditions().getServing()).isTrue();
    assertThat(c.getConditions().getTerminating()).isTrue();
  }

  @Test
  void endpointsAreSplitIntoSlicesOfAtMostTheLimitAndAnUnchangedServiceWritesNothing() {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pods.add(pod("p" + i, "10.0.0." + (i + 1), true));
    }
    SliceReconciler.Plan plan = SliceReconciler.reconcile(service(), pods, node -> null, List.of(), 2, TRIGGER);
    assertThat(plan.create()).extracting(s -> s.getEndpoints().size()).containsExactly(2, 2, 1);
    List<EndpointSlice> existing = new ArrayList<>();
    for (int i = 0; i < plan.create().size(); i++) {
      existing.add(stored(plan.create().get(i), "web-" + i));
    }
    assertThat(SliceReconciler.reconcile(service(), pods, node -> null, existing, 2, null).isEmpty()).isTrue();

    // one pod goes, one comes: the new one fills the room in an existing slice
    List<Pod> changed = new ArrayList<>(pods.subList(1, 5));
    changed.add(pod("p9", "10.0.0.9", true));
    SliceReconciler.Plan next = SliceReconciler.reconcile(service(), changed, node -> null, existing, 2, TRIGGER);
    assertThat(next.create()).isEmpty();
    assertThat(next.delete()).isEmpty();
    assertThat(next.update()).isNotEmpty();
  }

  @Test
  void aServiceWithoutEndpointsKeepsOnePlaceholderSlice() {
    SliceReconciler.Plan plan = SliceReconciler.reconcile(service(), List.of(), node -> null, List.of(), 100, null);
    assertThat(plan.create()).singleElement().satisfies(slice -> {
      assertThat(slice.getEndpoints()).isEmpty();
      assertThat(slice.getPorts()).isNullOrEmpty();
    });
    EndpointSlice full = stored(SliceReconciler.reconcile(service(), List.of(pod("a", "10.0.0.1", true)),
        node -> null, List.of(), 100, null).create().get(0), "web-abc");
    SliceReconciler.Plan emptied = SliceReconciler.reconcile(service(), List.of(), node -> null, List.of(full), 100,
        null);
    assertThat(emptied.delete()).isEmpty();
    assertThat(emptied.update()).singleElement().satisfies(slice -> {
      assertThat(slice.getMetadata().getName()).isEqualTo("web-abc");
      assertThat(slice.getEndpoints()).isEmpty();
    });
  }
}
