package io.kubemu.apiserver.table;

import static io.kubemu.apiserver.table.TableFixtures.ago;
import static io.kubemu.apiserver.table.TableFixtures.cell;
import static io.kubemu.apiserver.table.TableFixtures.cells;
import static io.kubemu.apiserver.table.TableFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code kubectl get services}: TYPE, CLUSTER-IP, EXTERNAL-IP by type, PORT(S) with node ports. */
class ServiceTableTest {

  private static String service(String spec, String status) {
    return """
        {"kind":"Service","apiVersion":"v1",
         "metadata":{"name":"web","namespace":"default","creationTimestamp":"%s"},
         "spec":%s,"status":%s}
        """.formatted(ago(Duration.ofHours(5)), spec, status);
  }

  private static String service(String spec) {
    return service(spec, "{}");
  }

  @Test
  void kubectlShowsNameTypeIpsPortsAgeAndTheSelectorWithWide() {
    assertThat(headers("services", false))
        .containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE");
    assertThat(headers("services", true))
        .containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR");
  }

  @Test
  void aClusterIpServicePrintsItsIpPortsAndSelector() {
    String dns = service("""
        {"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],
         "selector":{"k8s-app":"kube-dns"},
         "ports":[{"name":"dns","port":53,"protocol":"UDP"},{"name":"dns-tcp","port":53,"protocol":"TCP"}]}""");

    assertThat(cells("services", dns))
        .containsExactly("web", "ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP", "5h", "k8s-app=kube-dns");
  }

  @Test
  void aNodePortShowsAfterThePort() {
    String web = service("""
        {"type":"NodePort","clusterIP":"10.96.12.4","ports":[{"port":80,"targetPort":8080,"nodePort":30080,
          "protocol":"TCP"}]}""");

    assertThat(cell("services", web, "PORT(S)")).isEqualTo("80:30080/TCP");
    assertThat(cell("services", web, "EXTERNAL-IP")).isEqualTo("<none>");
  }

  @Test
  void externalIpsOfAClusterIpServiceAreListed() {
    String web = service("""
        {"type":"ClusterIP","clusterIP":"10.96.12.4","externalIPs":["198.51.100.1","198.51.100.2"],
         "ports":[{"port":80,"protocol":"TCP"}]}""");

    assertThat(cell("services", web, "EXTERNAL-IP")).isEqualTo("198.51.100.1,198.51.100.2");
  }

  @Test
  void aLoadBalancerWithoutIngressIsPending() {
    String lb = service("""
        {"type":"LoadBalancer","clusterIP":"10.96.12.4","ports":[{"port":443,"nodePort":31443,"protocol":"TCP"}]}""");

    assertThat(cell("services", lb, "EXTERNAL-IP")).isEqualTo("<pending>");
    assertThat(cell("services", lb, "PORT(S)")).isEqualTo("443:31443/TCP");
  }

  @Test
  void aLoadBalancerShowsItsIngressSortedThenExternalIps() {
    String lb = service("""
        {"type":"LoadBalancer","clusterIP":"10.96.12.4","externalIPs":["198.51.100.9"],
         "ports":[{"port":443,"protocol":"TCP"}]}""", """
        {"loadBalancer":{"ingress":[{"ip":"203.0.113.20"},{"hostname":"lb.example.com"},
          {"ip":"203.0.113.10","hostname":"ignored.example.com"}]}}""");

    assertThat(cell("services", lb, "EXTERNAL-IP"))
        .isEqualTo("203.0.113.10,203.0.113.20,lb.example.com,198.51.100.9");
  }

  @Test
  void anExternalNameServiceShowsTheNameAndNoClusterIpOrPorts() {
    String external = service("{\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}");

    assertThat(cells("services", external))
        .containsExactly("web", "ExternalName", "<none>", "db.example.com", "<none>", "5h", "<none>");
  }

  @Test
  void aHeadlessServiceShowsNoneAsClusterIp() {
    String headless = service("{\"clusterIP\":\"None\",\"clusterIPs\":[\"None\"],\"selector\":{\"app\":\"db\"}}");

    assertThat(cell("services", headless, "CLUSTER-IP")).isEqualTo("None");
  }

  @Test
  void unsetTypeAndProtocolPrintAsKubernetesDefaultsThem() {
    String web = service("{\"clusterIP\":\"10.96.1.1\",\"ports\":[{\"port\":8080}]}");

    assertThat(cell("services", web, "TYPE")).isEqualTo("ClusterIP");
    assertThat(cell("services", web, "PORT(S)")).isEqualTo("8080/TCP");
  }

  @Test
  void theSelectorIsSortedByKey() {
    String web = service("{\"clusterIP\":\"10.96.1.1\",\"selector\":{\"tier\":\"web\",\"app\":\"shop\"}}");

    assertThat(cell("services", web, "SELECTOR")).isEqualTo("app=shop,tier=web");
  }
}
