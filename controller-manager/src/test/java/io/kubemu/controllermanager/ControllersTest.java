package io.kubemu.controllermanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ControllersTest {
  private static final String[] NODE_AND_ENDPOINT_CONTROLLERS = {"deployment-controller", "endpoints-controller", "endpointslice-controller",
      "node-ipam-controller", "node-lifecycle-controller", "taint-eviction-controller"};

  private static String[] andNew(String... first) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(first),
        java.util.Arrays.stream(NODE_AND_ENDPOINT_CONTROLLERS)).toArray(String[]::new);
  }

  private static List<String> enabled(String... flag) {
    return Controllers.enabled(List.of(flag)).stream().map(Controllers.Descriptor::name).toList();
  }

  @Test
  void aStarEnablesEveryControllerAndAMinusTakesOneAway() {
    assertThat(enabled("*")).containsExactly(andNew("serviceaccount-controller", "namespace-controller",
        "garbage-collector-controller", "replicaset-controller"));
    assertThat(enabled("*", "-garbagecollector")).containsExactly(andNew("serviceaccount-controller", "namespace-controller",
        "replicaset-controller"));
    assertThat(enabled("*", "-namespace-controller")).containsExactly(andNew("serviceaccount-controller",
        "garbage-collector-controller", "replicaset-controller"));
    assertThat(enabled("*", "-deployment")).doesNotContain("deployment-controller");
  }

  @Test
  void withoutAStarOnlyTheNamedOnesRunByNameOrAlias() {
    assertThat(enabled("serviceaccount", "garbage-collector-controller"))
        .containsExactly("serviceaccount-controller", "garbage-collector-controller");
    assertThat(enabled("-namespace")).isEmpty();
  }

  @Test
  void theFirstEntryNamingAControllerDecides() {
    assertThat(enabled("namespace", "-namespace")).containsExactly("namespace-controller");
    assertThat(enabled("-namespace", "namespace", "*")).containsExactly(andNew("serviceaccount-controller",
        "garbage-collector-controller", "replicaset-controller"));
  }

  @Test
  void anUnknownNameIsRefusedAsKubernetesDoes() {
    assertThatThrownBy(() -> enabled("*", "-deployment-controllr"))
        .hasMessage("\"deployment-controllr\" is not in the list of known controllers");
  }
}
