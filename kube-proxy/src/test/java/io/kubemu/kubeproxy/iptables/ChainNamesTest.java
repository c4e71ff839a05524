package io.kubemu.kubeproxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.kubeproxy.model.Endpoint;
import io.kubemu.kubeproxy.model.ServicePortName;
import org.junit.jupiter.api.Test;

class ChainNamesTest {
  @Test
  void chainNamesAreThoseKubernetesComputesForTheSameServicePort() {
    // The names Kubernetes' own proxier tests expect for ns1/svc1:p80 and ns2/svc2:p80 over TCP.
    ServicePortName svc1 = new ServicePortName("ns1", "svc1", "p80");
    assertThat(ChainNames.service(svc1, "TCP")).isEqualTo("KUBE-SVC-XPGD46QRK7WJZT7O");
    assertThat(ChainNames.endpoint(svc1, "TCP", new Endpoint("10.180.0.1", 80))).isEqualTo("KUBE-SEP-SXIVWICOYRO3J4NJ");
    ServicePortName svc2 = new ServicePortName("ns2", "svc2", "p80");
    assertThat(ChainNames.external(svc2, "TCP")).isEqualTo("KUBE-EXT-GNZBNJ2PO5MGZ6GT");
  }

  @Test
  void unnamedPortIsNamespaceSlashName() {
    assertThat(new ServicePortName("default", "web", null)).hasToString("default/web");
    assertThat(new ServicePortName("default", "web", "http")).hasToString("default/web:http");
  }

  @Test
  void onlyPerServiceChainsCountAsPerService() {
    assertThat(ChainNames.isPerService("KUBE-SVC-XPGD46QRK7WJZT7O")).isTrue();
    assertThat(ChainNames.isPerService("KUBE-SEP-SXIVWICOYRO3J4NJ")).isTrue();
    assertThat(ChainNames.isPerService("KUBE-EXT-GNZBNJ2PO5MGZ6GT")).isTrue();
    assertThat(ChainNames.isPerService("KUBE-SERVICES")).isFalse();
    assertThat(ChainNames.isPerService("DOCKER")).isFalse();
  }
}
