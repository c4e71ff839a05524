package io.kubemu.kubelet.fieldpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceValuesTest {
  private static final Map<String, Quantity> NODE = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"));
  private static final Container APP = new ContainerBuilder().withName("app").withNewResources()
      .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("64Mi"))
      .addToLimits("cpu", new Quantity("1.5")).addToLimits("memory", new Quantity("128Mi")).endResources().build();

  private static String value(String resource, String divisor, Container container) throws Exception {
    return ResourceValues.extract(new ResourceFieldSelector(null, divisor == null ? null : new Quantity(divisor),
        resource), container, NODE);
  }

  @Test
  void cpuIsRoundedUpToWholeDivisors() throws Exception {
    assertThat(value("requests.cpu", null, APP)).isEqualTo("1");
    assertThat(value("requests.cpu", "1m", APP)).isEqualTo("250");
    assertThat(value("limits.cpu", null, APP)).isEqualTo("2");
    assertThat(value("limits.cpu", "500m", APP)).isEqualTo("3");
  }

  @Test
  void memoryIsInBytesOrInTheDivisor() throws Exception {
    assertThat(value("limits.memory", null, APP)).isEqualTo("134217728");
    assertThat(value("limits.memory", "1Mi", APP)).isEqualTo("128");
    assertThat(value("requests.memory", "1Mi", APP)).isEqualTo("64");
  }

  @Test
  void aLimitNotSetIsTheNodesAllocatableAndARequestNotSetIsZero() throws Exception {
    Container bare = new ContainerBuilder().withName("bare").build();
    assertThat(value("limits.cpu", null, bare)).isEqualTo("4");
    assertThat(value("limits.memory", "1Gi", bare)).isEqualTo("8");
    assertThat(value("requests.cpu", null, bare)).isEqualTo("0");
  }

  @Test
  void aRequestNotSetBesideALimitIsTheLimit() throws Exception {
    Container limited = new ContainerBuilder().withName("limited").withNewResources()
        .addToLimits("memory", new Quantity("1Gi")).endResources().build();
    assertThat(value("requests.memory", "1Mi", limited)).isEqualTo("1024");
  }

  @Test
  void aVolumeNamesTheContainerAndAnUnknownOneOrResourceFails() {
    var pod = new PodBuilder().withNewSpec().addToContainers(APP).endSpec().build();
    assertThatThrownBy(() -> ResourceValues.extract(new ResourceFieldSelector("db", null, "limits.cpu"), pod, "db", NODE))
        .hasMessage("failed to find container with name db");
    assertThatThrownBy(() -> value("limits.gpu", null, APP)).hasMessage("unsupported container resource : limits.gpu");
  }
}
