package io.kubemu.kubelet.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubemu.kubelet.runtime.LinuxContainerResources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerResourcesTest {
  private static Container container(Map<String, String> requests, Map<String, String> limits) {
    ContainerBuilder builder = new ContainerBuilder().withName("app");
    var resources = builder.withNewResources();
    requests.forEach((name, value) -> resources.addToRequests(name, new Quantity(value)));
    limits.forEach((name, value) -> resources.addToLimits(name, new Quantity(value)));
    return resources.endResources().build();
  }

  @Test
  void requestsBecomeSharesAndLimitsQuotaAndMemory() {
    assertThat(ContainerResources.linux(container(Map.of("cpu", "500m"), Map.of("cpu", "1.5", "memory", "128Mi"))))
        .isEqualTo(new LinuxContainerResources(100_000, 150_000, 512, 134_217_728));
  }

  @Test
  void aContainerWithoutResourcesGetsTheMinimumSharesAndNoQuotaOrMemoryLimit() {
    assertThat(ContainerResources.linux(new ContainerBuilder().withName("app").build()))
        .isEqualTo(new LinuxContainerResources(100_000, 0, 2, 0));
  }

  @Test
  void aLimitWithoutRequestIsAlsoTheRequest() {
    assertThat(ContainerResources.linux(container(Map.of(), Map.of("cpu", "2"))).cpuShares()).isEqualTo(2048);
  }

  @Test
  void tinyValuesAreRaisedToTheKernelsMinimums() {
    LinuxContainerResources tiny = ContainerResources.linux(container(Map.of("cpu", "1m"), Map.of("cpu", "5m")));
    assertThat(tiny.cpuShares()).isEqualTo(2);
    assertThat(tiny.cpuQuota()).isEqualTo(1_000);
    assertThat(ContainerResources.linux(container(Map.of("cpu", "0"), Map.of())).cpuShares()).isEqualTo(2);
  }

  @Test
  void quantitiesInEveryNotationAreUnderstood() {
    assertThat(ContainerResources.milliCpu(new Quantity("250m"))).isEqualTo(250);
    assertThat(ContainerResources.milliCpu(new Quantity("0.1"))).isEqualTo(100);
    assertThat(ContainerResources.milliCpu(new Quantity("2"))).isEqualTo(2000);
    assertThat(ContainerResources.linux(container(Map.of(), Map.of("memory", "1G"))).memoryLimitInBytes())
        .isEqualTo(1_000_000_000L);
    assertThat(ContainerResources.linux(container(Map.of(), Map.of("memory", "1.5Gi"))).memoryLimitInBytes())
        .isEqualTo(1_610_612_736L);
  }
}
