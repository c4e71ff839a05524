package io.kubemu.kubeproxy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceSnapshotTest {
  private static ServiceBuilder service(String name, String clusterIP) {
    return new ServiceBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP(clusterIP).addNewPort().withName("http").withPort(80)
        .withProtocol("TCP").endPort().endSpec();
  }

  private static EndpointSliceBuilder slice(String service, String name) {
    return new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName(name)
        .addToLabels(ServiceSnapshot.SERVICE_NAME_LABEL, service).endMetadata().withAddressType("IPv4")
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
  }

  @Test
  void onlyReadyEndpointsOfAllTheServicesSlicesAreRouted() {
    EndpointSlice first = slice("web", "web-1")
        .addNewEndpoint().withAddresses("10.42.1.3").withNewConditions().withReady(true).endConditions().endEndpoint()
        .addNewEndpoint().withAddresses("10.42.1.4").withNewConditions().withReady(false).endConditions().endEndpoint()
        .build();
    EndpointSlice second = slice("web", "web-2")
        .addNewEndpoint().withAddresses("10.42.1.10").endEndpoint() // no conditions: ready
        .build();
    EndpointSlice other = slice("other", "other-1").addNewEndpoint().withAddresses("10.42.9.9").endEndpoint().build();

    List<ServicePort> ports = ServiceSnapshot.of(List.of(service("web", "10.43.0.10").build()),
        List.of(first, second, other));

    assertThat(ports).singleElement().satisfies(port -> {
      assertThat(port.name()).hasToString("default/web:http");
      assertThat(port.clusterIP()).isEqualTo("10.43.0.10");
      assertThat(port.port()).isEqualTo(80);
      assertThat(port.nodePort()).isZero();
      assertThat(port.clientIPAffinity()).isFalse();
      assertThat(port.endpoints()).containsExactly(new Endpoint("10.42.1.3", 8080), new Endpoint("10.42.1.10", 8080));
    });
  }

  @Test
  void headlessAndExternalNameServicesGetNoRules() {
    Service headless = service("headless", "None").build();
    Service external = service("external", null).editSpec().withType("ExternalName").withExternalName("example.org")
        .endSpec().build();
    assertThat(ServiceSnapshot.of(List.of(headless, external), List.of())).isEmpty();
  }

  @Test
  void nodePortAndClientIpAffinityComeFromTheService() {
    Service service = service("web", "10.43.0.10").editSpec().withType("NodePort").editFirstPort()
        .withNodePort(30080).endPort().withSessionAffinity("ClientIP").withNewSessionAffinityConfig().withNewClientIP()
        .withTimeoutSeconds(60).endClientIP().endSessionAffinityConfig().endSpec().build();
    ServicePort port = ServiceSnapshot.of(List.of(service), List.of()).get(0);
    assertThat(port.nodePort()).isEqualTo(30080);
    assertThat(port.clientIPAffinity()).isTrue();
    assertThat(port.affinityTimeoutSeconds()).isEqualTo(60);
    assertThat(port.endpoints()).isEmpty();
  }

  @Test
  void slicePortsAreMatchedByNameAndProtocol() {
    Service service = service("dns", "10.43.0.10").editSpec().withPorts().addNewPort().withName("dns").withPort(53)
        .withProtocol("UDP").endPort().addNewPort().withName("dns-tcp").withPort(53).withProtocol("TCP").endPort()
        .endSpec().build();
    EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName("dns-1")
        .addToLabels(ServiceSnapshot.SERVICE_NAME_LABEL, "dns").endMetadata().withAddressType("IPv4")
        .addNewPort().withName("dns").withPort(5353).withProtocol("UDP").endPort()
        .addNewPort().withName("dns-tcp").withPort(5354).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses("10.42.1.2").endEndpoint().build();
    List<ServicePort> ports = ServiceSnapshot.of(List.of(service), List.of(slice));
    assertThat(ports).extracting(p -> p.name() + " " + p.protocol() + " " + p.endpoints())
        .containsExactly("default/dns:dns UDP [10.42.1.2:5353]", "default/dns:dns-tcp TCP [10.42.1.2:5354]");
  }
}
