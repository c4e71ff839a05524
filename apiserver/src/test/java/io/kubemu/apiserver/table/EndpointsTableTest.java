package io.kubemu.apiserver.table;

import static io.kubemu.apiserver.table.TableFixtures.ago;
import static io.kubemu.apiserver.table.TableFixtures.cell;
import static io.kubemu.apiserver.table.TableFixtures.cells;
import static io.kubemu.apiserver.table.TableFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code kubectl get endpoints} and {@code endpointslices}: at most three entries, then how many more. */
class EndpointsTableTest {

  private static String endpoints(String subsets) {
    return """
        {"kind":"Endpoints","apiVersion":"v1",
         "metadata":{"name":"web","namespace":"default","creationTimestamp":"%s"},"subsets":%s}
        """.formatted(ago(Duration.ofSeconds(45)), subsets);
  }

  private static String slice(String body) {
    return """
        {"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1",
         "metadata":{"name":"web-abc12","namespace":"default","creationTimestamp":"%s"},%s}
        """.formatted(ago(Duration.ofSeconds(45)), body);
  }

  @Test
  void kubectlShowsNameEndpointsAndAge() {
    assertThat(headers("endpoints", true)).containsExactly("NAME", "ENDPOINTS", "AGE");
    assertThat(headers("endpointslices", true)).containsExactly("NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE");
  }

  @Test
  void readyAddressesPrintAsIpColonPort() {
    String web = endpoints("""
        [{"addresses":[{"ip":"10.42.0.5"},{"ip":"10.42.1.3"}],
          "notReadyAddresses":[{"ip":"10.42.2.8"}],"ports":[{"port":80,"protocol":"TCP"}]}]""");

    assertThat(cells("endpoints", web)).containsExactly("web", "10.42.0.5:80,10.42.1.3:80", "45s");
  }

  @Test
  void moreThanThreeEndpointsAreCutWithHowManyMore() {
    String web = endpoints("""
        [{"addresses":[{"ip":"10.42.0.5"},{"ip":"10.42.1.3"}],"ports":[{"port":80}]},
         {"addresses":[{"ip":"10.42.2.7"},{"ip":"10.42.3.9"}],"ports":[{"port":80}]}]""");

    assertThat(cell("endpoints", web, "ENDPOINTS")).isEqualTo("10.42.0.5:80,10.42.1.3:80,10.42.2.7:80 + 1 more...");
  }

  @Test
  void eachPortPairsWithEveryAddressPortByPort() {
    String web = endpoints("""
        [{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],
          "ports":[{"name":"http","port":80},{"name":"https","port":443}]}]""");

    assertThat(cell("endpoints", web, "ENDPOINTS")).isEqualTo("10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...");
  }

  @Test
  void aServiceWithoutEndpointsShowsNone() {
    assertThat(cell("endpoints", endpoints("[]"), "ENDPOINTS")).isEqualTo("<none>");
    assertThat(cell("endpoints", "{\"metadata\":{\"name\":\"web\"}}", "ENDPOINTS")).isEqualTo("<none>");
  }

  @Test
  void aSubsetWithoutPortsListsBareAddressesAndIpv6GetsBrackets() {
    assertThat(cell("endpoints", endpoints("[{\"addresses\":[{\"ip\":\"10.0.0.1\"}]}]"), "ENDPOINTS"))
        .isEqualTo("10.0.0.1");
    assertThat(cell("endpoints", endpoints("[{\"addresses\":[{\"ip\":\"fd00::1\"}],\"ports\":[{\"port\":80}]}]"),
        "ENDPOINTS")).isEqualTo("[fd00::1]:80");
  }

  @Test
  void aSlicePrintsItsAddressTypePortsAndAddresses() {
    String web = slice("""
        "addressType":"IPv4","ports":[{"name":"http","port":80,"protocol":"TCP"},{"name":"https","port":443}],
        "endpoints":[{"addresses":["10.42.0.5"],"conditions":{"ready":true}},{"addresses":["10.42.1.3"]}]""");

    assertThat(cells("endpointslices", web))
        .containsExactly("web-abc12", "IPv4", "80,443", "10.42.0.5,10.42.1.3", "45s");
  }

  @Test
  void aSliceCutsPortsAndAddressesAfterThree() {
    String web = slice("""
        "addressType":"IPv4","ports":[{"port":1},{"port":2},{"port":3},{"port":4},{"port":5}],
        "endpoints":[{"addresses":["10.0.0.1","10.0.0.2"]},{"addresses":["10.0.0.3"]},{"addresses":["10.0.0.4"]}]""");

    assertThat(cell("endpointslices", web, "PORTS")).isEqualTo("1,2,3 + 2 more...");
    assertThat(cell("endpointslices", web, "ENDPOINTS")).isEqualTo("10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...");
  }

  @Test
  void aSlicePortWithoutNumberShowsItsNameOrAStar() {
    String web = slice("\"addressType\":\"IPv4\",\"ports\":[{\"name\":\"http\"},{}],\"endpoints\":[]");

    assertThat(cell("endpointslices", web, "PORTS")).isEqualTo("http,*");
  }

  @Test
  void anEmptySliceShowsUnset() {
    String web = slice("\"addressType\":\"IPv6\"");

    assertThat(cells("endpointslices", web)).containsExactly("web-abc12", "IPv6", "<unset>", "<unset>", "45s");
  }
}
