package io.kubemu.controllermanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.apiserver.Kubectl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoints and EndpointSlice controllers with a real store, apiserver, controller-manager
 * process and kubectl. No kubelet runs: the test plays it, giving pods an IP and readiness
 * through the status subresource.
 */
class EndpointsControllerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  static Path dir;

  static ControlPlane cluster;
  static KubernetesClient client;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    cluster = ControlPlane.start(dir);
    client = cluster.client;
    kubectl = cluster.kubectl;
    ControllerManagerProcess controllerManager = cluster.startControllerManager("controller-manager",
        "--controllers", "endpoint,endpointslice,garbagecollector");
    await().atMost(Duration.ofSeconds(60)).until(controllerManager::runsControllers);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void createNamespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  private static void pod(String namespace, String name, String app) {
    client.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName(name).addToLabels("app", app).endMetadata()
        .withNewSpec().withNodeName("node-1").addNewContainer().withName("web").withImage("nginx:1.25")
          .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec()
        .build()).create();
  }

  /** Plays the kubelet: the pod runs with an IP, ready or not. */
  private static void running(String namespace, String name, String ip, boolean ready) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    String now = Instant.now().toString();
    Pod updated = new PodBuilder(pod).editOrNewStatus().withPhase("Running").withPodIP(ip).withHostIP("192.168.0.1")
        .withConditions().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
        .withLastTransitionTime(now).endCondition().endStatus().build();
    client.pods().inNamespace(namespace).resource(updated).updateStatus();
  }

  private static Endpoints endpoints(String namespace, String name) {
    return client.endpoints().inNamespace(namespace).withName(name).get();
  }

  private static List<EndpointSlice> slices(String namespace, String service) {
    return client.discovery().v1().endpointSlices().inNamespace(namespace)
        .withLabel("kubernetes.io/service-name", service).list().getItems();
  }

  private static List<String> ips(List<EndpointAddress> addresses) {
    return addresses == null ? List.of() : addresses.stream().map(EndpointAddress::getIp).sorted().toList();
  }

  @Test
  void aServiceWithASelectorListsItsPodsInEndpointsAndEndpointSlices() throws Exception {
    createNamespace("web");
    pod("web", "web-1", "web");
    pod("web", "web-2", "web");
    pod("web", "web-3", "web"); // never gets an IP: not listed
    pod("web", "other", "other");
    running("web", "web-1", "10.42.0.11", true);
    running("web", "web-2", "10.42.0.12", false);
    running("web", "other", "10.42.0.13", true);
    client.services().inNamespace("web").resource(new ServiceBuilder()
        .withNewMetadata().withName("web").addToLabels("tier", "front").endMetadata()
        .withNewSpec().addToSelector("app", "web").addNewPort().withName("http").withPort(80)
          .withNewTargetPort("http").endPort().endSpec().build()).create();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      Endpoints endpoints = endpoints("web", "web");
      assertThat(endpoints).isNotNull();
      assertThat(endpoints.getSubsets()).hasSize(1);
      EndpointSubset subset = endpoints.getSubsets().get(0);
      assertThat(ips(subset.getAddresses())).containsExactly("10.42.0.11");
      assertThat(ips(subset.getNotReadyAddresses())).containsExactly("10.42.0.12");
      assertThat(subset.getPorts()).singleElement().satisfies(port -> {
        assertThat(port.getName()).isEqualTo("http");
        assertThat(port.getPort()).isEqualTo(8080); // the named targetPort, resolved on the pod
        assertThat(port.getProtocol()).isEqualTo("TCP");
      });
    });
    Endpoints endpoints = endpoints("web", "web");
    EndpointAddress address = endpoints.getSubsets().get(0).getAddresses().get(0);
    assertThat(address.getNodeName()).isEqualTo("node-1");
    assertThat(address.getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(address.getTargetRef().getName()).isEqualTo("web-1");
    assertThat(endpoints.getMetadata().getLabels()).containsEntry("tier", "front")
        .containsEntry("endpoints.kubernetes.io/managed-by", "endpoint-controller");
    assertThat(endpoints.getMetadata().getAnnotations()).containsKey("endpoints.kubernetes.io/last-change-trigger-time");

    await().atMost(TIMEOUT).untilAsserted(() -> {
      List<EndpointSlice> slices = slices("web", "web");
      assertThat(slices).hasSize(1);
      EndpointSlice slice = slices.get(0);
      assertThat(slice.getMetadata().getName()).startsWith("web-");
      assertThat(slice.getAddressType()).isEqualTo("IPv4");
      assertThat(slice.getMetadata().getLabels())
          .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
          .containsEntry("tier", "front");
      assertThat(slice.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
        assertThat(owner.getKind()).isEqualTo("Service");
        assertThat(owner.getName()).isEqualTo("web");
        assertThat(owner.getController()).isTrue();
      });
      assertThat(slice.getPorts()).singleElement().satisfies(port -> {
        assertThat(port.getName()).isEqualTo("http");
        assertThat(port.getPort()).isEqualTo(8080);
      });
      assertThat(slice.getEndpoints()).hasSize(2);
      Endpoint ready = endpoint(slice, "10.42.0.11");
      assertThat(ready.getConditions().getReady()).isTrue();
      assertThat(ready.getConditions().getServing()).isTrue();
      assertThat(ready.getConditions().getTerminating()).isFalse();
      assertThat(ready.getNodeName()).isEqualTo("node-1");
      assertThat(ready.getTargetRef().getName()).isEqualTo("web-1");
      assertThat(endpoint(slice, "10.42.0.12").getConditions().getReady()).isFalse();
    });

    Kubectl.Run getEndpoints = kubectl.run("get", "endpoints", "web", "-n", "web");
    assertThat(getEndpoints.out()).contains("10.42.0.11:8080");
    Kubectl.Run getSlices = kubectl.run("get", "endpointslices", "-n", "web");
    assertThat(getSlices.out()).containsPattern("web-\\S+\\s+IPv4\\s+8080\\s+10.42.0.1[12],10.42.0.1[12]");

    // readiness changes and deletes follow
    running("web", "web-2", "10.42.0.12", true);
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(ips(endpoints("web", "web").getSubsets().get(0).getAddresses()))
          .containsExactly("10.42.0.11", "10.42.0.12");
      assertThat(endpoint(slices("web", "web").get(0), "10.42.0.12").getConditions().getReady()).isTrue();
    });
    // a slice deleted by hand comes back (under a new name)
    String deleted = slices("web", "web").get(0).getMetadata().getName();
    client.discovery().v1().endpointSlices().inNamespace("web").withName(deleted).delete();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(slices("web", "web")).singleElement().satisfies(slice -> {
      assertThat(slice.getMetadata().getName()).isNotEqualTo(deleted);
      assertThat(slice.getEndpoints()).hasSize(2);
    }));
    client.pods().inNamespace("web").withName("web-1").withGracePeriod(0).delete();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(ips(endpoints("web", "web").getSubsets().get(0).getAddresses())).containsExactly("10.42.0.12");
      assertThat(slices("web", "web").get(0).getEndpoints()).extracting(e -> e.getAddresses().get(0))
          .containsExactly("10.42.0.12");
    });

    // the Endpoints go with the Service, the slices with it through the garbage collector
    client.services().inNamespace("web").withName("web").delete();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(endpoints("web", "web")).isNull();
      assertThat(slices("web", "web")).isEmpty();
    });
  }

  private static Endpoint endpoint(EndpointSlice slice, String ip) {
    return slice.getEndpoints().stream().filter(e -> e.getAddresses().contains(ip)).findFirst().orElseThrow();
  }

  @Test
  void aServiceWithoutASelectorKeepsTheEndpointsItsUserWrites() throws Exception {
    createNamespace("manual");
    client.services().inNamespace("manual").resource(new ServiceBuilder()
        .withNewMetadata().withName("db").endMetadata()
        .withNewSpec().addNewPort().withPort(5432).endPort().endSpec().build()).create();
    client.endpoints().inNamespace("manual").resource(new io.fabric8.kubernetes.api.model.EndpointsBuilder()
        .withNewMetadata().withName("db").endMetadata()
        .addNewSubset().addNewAddress().withIp("192.168.1.10").endAddress().addNewPort().withPort(5432).endPort()
        .endSubset().build()).create();
    // a Service with a selector created after it: once its Endpoints exist, the controller has seen both
    pod("manual", "probe", "probe");
    running("manual", "probe", "10.42.0.21", true);
    client.services().inNamespace("manual").resource(new ServiceBuilder()
        .withNewMetadata().withName("probe").endMetadata()
        .withNewSpec().addToSelector("app", "probe").addNewPort().withPort(80).withNewTargetPort(8080).endPort()
        .endSpec().build()).create();
    await().atMost(TIMEOUT).until(() -> endpoints("manual", "probe") != null && !slices("manual", "probe").isEmpty());

    assertThat(ips(endpoints("manual", "db").getSubsets().get(0).getAddresses())).containsExactly("192.168.1.10");
    assertThat(slices("manual", "db")).isEmpty();
    // the apiserver's own kubernetes Service is left alone too
    assertThat(slices("default", "kubernetes")).allSatisfy(slice -> assertThat(slice.getMetadata().getLabels())
        .doesNotContainEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"));
  }
}
