package io.kubemu.controllermanager.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSubsetsTest {
  static Pod pod(String name, String ip, boolean ready, Integer httpPort) {
    PodBuilder builder = new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name)
        .withCreationTimestamp("2026-01-01T00:00:00Z").addToLabels("app", "web").endMetadata()
        .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).addNewCondition().withType("Ready")
          .withStatus(ready ? "True" : "False").withLastTransitionTime("2026-01-01T00:00:0" + name.length() + "Z")
          .endCondition().endStatus();
    if (httpPort != null) {
      builder.editSpec().editFirstContainer().addNewPort().withName("http").withContainerPort(httpPort).endPort()
          .endContainer().endSpec();
    }
    return builder.build();
  }

  static Service service(boolean publishNotReady) {
    return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("ns")
        .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata()
        .withNewSpec().addToSelector("app", "web").withPublishNotReadyAddresses(publishNotReady)
          .addNewPort().withName("http").withPort(80).withNewTargetPort("http").endPort()
          .addNewPort().withName("metrics").withPort(9090).withNewTargetPort(9090).endPort()
        .endSpec().build();
  }

  private static List<String> ips(List<EndpointAddress> addresses) {
    return addresses == null ? List.of() : addresses.stream().map(EndpointAddress::getIp).toList();
  }

  @Test
  void podsWithTheSamePortsShareASubsetReadyOnesUnderAddressesOthersUnderNotReady() {
    List<EndpointSubset> subsets = EndpointSubsets.build(service(false), List.of(
        pod("b", "10.0.0.2", true, 8080), pod("a", "10.0.0.1", false, 8080), pod("c", "10.0.0.3", true, 8081),
        pod("d", "10.0.0.10", true, null)));
    assertThat(subsets).hasSize(3);
    EndpointSubset on8080 = subsets.stream().filter(s -> s.getPorts().stream().anyMatch(p -> p.getPort() == 8080))
        .findFirst().orElseThrow();
    assertThat(ips(on8080.getAddresses())).containsExactly("10.0.0.2");
    assertThat(ips(on8080.getNotReadyAddresses())).containsExactly("10.0.0.1");
    assertThat(on8080.getPorts()).extracting(EndpointPort::getName, EndpointPort::getPort)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8080),
            org.assertj.core.groups.Tuple.tuple("metrics", 9090));
    // a pod without the named port serves only the numeric one
    EndpointSubset onlyMetrics = subsets.stream().filter(s -> s.getPorts().size() == 1).findFirst().orElseThrow();
    assertThat(ips(onlyMetrics.getAddresses())).containsExactly("10.0.0.10");
    EndpointAddress address = on8080.getAddresses().get(0);
    assertThat(address.getNodeName()).isEqualTo("node-1");
    assertThat(address.getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(address.getTargetRef().getName()).isEqualTo("b");
    assertThat(address.getTargetRef().getUid()).isEqualTo("uid-b");
  }

  @Test
  void terminalPodsPodsWithoutAnIpAndTerminatingPodsAreLeftOut() {
    Pod failed = new PodBuilder(pod("f", "10.0.0.5", true, 8080)).editStatus().withPhase("Failed").endStatus().build();
    Pod noIp = pod("n", null, true, 8080);
    Pod terminating = new PodBuilder(pod("t", "10.0.0.6", true, 8080)).editMetadata()
        .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
    assertThat(EndpointSubsets.build(service(false), List.of(failed, noIp, terminating))).isEmpty();
    // publishNotReadyAddresses: not-ready and terminating pods are listed as ready
    List<EndpointSubset> published = EndpointSubsets.build(service(true),
        List.of(terminating, pod("u", "10.0.0.7", false, 8080)));
    assertThat(ips(published.get(0).getAddresses())).containsExactly("10.0.0.6", "10.0.0.7");
    assertThat(published.get(0).getNotReadyAddresses()).isNull();
  }

  @Test
  void aHeadlessServiceWithoutPortsListsBareAddresses() {
    Service headless = new ServiceBuilder(service(false)).editSpec().withClusterIP("None").withPorts().endSpec().build();
    List<EndpointSubset> subsets = EndpointSubsets.build(headless, List.of(pod("a", "10.0.0.1", true, 8080)));
    assertThat(subsets).singleElement().satisfies(s -> {
      assertThat(ips(s.getAddresses())).containsExactly("10.0.0.1");
      assertThat(s.getPorts()).isNull();
    });
    Service withoutPorts = new ServiceBuilder(service(false)).editSpec().withPorts().endSpec().build();
    assertThat(EndpointSubsets.build(withoutPorts, List.of(pod("a", "10.0.0.1", true, 8080)))).isEmpty();
  }

  @Test
  void overCapacityEndpointsAreTruncatedToAThousandAddresses() {
    List<Pod> pods = new java.util.ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      pods.add(pod("p" + i, "10.1." + (i / 250) + "." + (i % 250), i % 2 == 0, 8080));
    }
    List<EndpointSubset> subsets = EndpointSubsets.build(service(false), pods);
    assertThat(EndpointSubsets.count(subsets)).isEqualTo(1200);
    List<EndpointSubset> truncated = EndpointSubsets.truncate(subsets);
    assertThat(EndpointSubsets.count(truncated)).isEqualTo(EndpointSubsets.MAX_CAPACITY);
    assertThat(truncated.get(0).getAddresses()).hasSize(600); // ready ones first
  }

  @Test
  void theTriggerTimeIsTheEarliestChangeSinceTheLastSync() {
    TriggerTimeTracker tracker = new TriggerTimeTracker();
    Service service = service(false);
    Pod a = pod("a", "10.0.0.1", true, 8080); // Ready changed at :01
    Pod bb = pod("bb", "10.0.0.2", true, 8080); // at :02
    assertThat(tracker.compute("ns/web", service, List.of(a, bb))).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(tracker.compute("ns/web", service, List.of(a, bb))).isNull(); // nothing changed
    Pod later = new PodBuilder(bb).editStatus().editFirstCondition().withLastTransitionTime("2026-01-01T00:05:00Z")
        .endCondition().endStatus().build();
    assertThat(tracker.compute("ns/web", service, List.of(a, later))).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
  }
}
