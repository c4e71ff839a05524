package io.kubemu.kubelet.envvars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvVarsTest {
  static Service service(String namespace, String name, String clusterIP, int port, String portName) {
    return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().withNewSpec()
        .withClusterIP(clusterIP).addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort()
        .endSpec().build();
  }

  @Test
  void aServiceGivesDockerLinkVariables() {
    Service redis = service("shop", "redis-primary", "10.43.0.11", 6379, null);
    redis.getSpec().getPorts().add(new ServicePortBuilder().withName("metrics")
        .withPort(9121).withProtocol("UDP").build());
    assertThat(ServiceEnvVars.fromServices(List.of(redis))).containsExactly(
        entry("REDIS_PRIMARY_SERVICE_HOST", "10.43.0.11"),
        entry("REDIS_PRIMARY_SERVICE_PORT", "6379"),
        entry("REDIS_PRIMARY_SERVICE_PORT_METRICS", "9121"),
        entry("REDIS_PRIMARY_PORT", "tcp://10.43.0.11:6379"),
        entry("REDIS_PRIMARY_PORT_6379_TCP", "tcp://10.43.0.11:6379"),
        entry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp"),
        entry("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379"),
        entry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.43.0.11"),
        entry("REDIS_PRIMARY_PORT_9121_UDP", "udp://10.43.0.11:9121"),
        entry("REDIS_PRIMARY_PORT_9121_UDP_PROTO", "udp"),
        entry("REDIS_PRIMARY_PORT_9121_UDP_PORT", "9121"),
        entry("REDIS_PRIMARY_PORT_9121_UDP_ADDR", "10.43.0.11"));
  }

  @Test
  void aPodGetsItsNamespacesServicesAndTheKubernetesServiceButNoHeadlessOnes() {
    Map<String, String> env = ServiceEnvVars.forPod("shop", true,
        List.of(service("default", "kubernetes", "10.43.0.1", 443, "https"), service("default", "other", "10.43.0.2", 80, null)),
        List.of(service("shop", "web", "10.43.0.3", 80, null), service("shop", "pods", "None", 80, null)));
    assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", "10.43.0.1").containsEntry("KUBERNETES_SERVICE_PORT", "443")
        .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443").containsEntry("WEB_SERVICE_HOST", "10.43.0.3")
        .doesNotContainKey("OTHER_SERVICE_HOST").doesNotContainKey("PODS_SERVICE_HOST");
  }

  @Test
  void withoutServiceLinksOnlyTheKubernetesServiceIsThere() {
    Map<String, String> env = ServiceEnvVars.forPod("shop", false,
        List.of(service("default", "kubernetes", "10.43.0.1", 443, "https")),
        List.of(service("shop", "web", "10.43.0.3", 80, null)));
    assertThat(env).containsKey("KUBERNETES_SERVICE_HOST").doesNotContainKey("WEB_SERVICE_HOST");
  }
}
