package io.kubemu.kubelet.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubemu.kubelet.container.CreateContainerConfigException;
import io.kubemu.kubelet.envvars.EnvironmentVariables;
import io.kubemu.kubelet.objects.InMemoryObjects;
import io.kubemu.kubelet.runtime.ContainerConfig;
import io.kubemu.kubelet.runtime.ContainerConfig.KeyValue;
import io.kubemu.kubelet.runtime.ContainerConfig.Mount;
import io.kubemu.kubelet.runtime.PodSandboxMetadata;
import io.kubemu.kubelet.runtime.PodSandboxState;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import io.kubemu.kubelet.volume.VolumeManager.PodVolume;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerConfigGeneratorTest {
  private static final PodSandboxStatus SANDBOX = new PodSandboxStatus("sandbox-1",
      new PodSandboxMetadata("web-1", "shop", "u-1", 0), PodSandboxState.SANDBOX_READY, Instant.EPOCH, "10.42.1.7");
  private final ContainerConfigGenerator generator = new ContainerConfigGenerator(
      new EnvironmentVariables(new InMemoryObjects(), Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"))),
      pod -> Map.of("data", new PodVolume(Path.of("/kubelet/pods/u-1/volumes/kubernetes.io~empty-dir/data"), false)),
      "192.168.1.10");

  private static Pod pod(Container container) {
    return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("u-1").endMetadata()
        .withNewSpec().withNewSecurityContext().withRunAsUser(1000L).withRunAsGroup(3000L).endSecurityContext()
        .addToContainers(container).endSpec().build();
  }

  @Test
  void theConfigCarriesEnvironmentExpandedArgsMountsResourcesUserAndTerminal() throws Exception {
    Container container = new ContainerBuilder().withName("app").withImage("busybox").withCommand("sh", "-c")
        .withArgs("echo $(GREETING) from $(POD_IP) $$(HOME)").withWorkingDir("/work").withTty(true).withStdin(true)
        .addToEnv(new EnvVar("GREETING", "hello", null)).addNewEnv().withName("POD_IP").withNewValueFrom()
        .withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
        .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
        .withNewSecurityContext().withRunAsUser(2000L).endSecurityContext()
        .withNewResources().addToLimits("memory", new Quantity("64Mi")).endResources().build();
    ContainerConfig config = generator.generate(pod(container), SANDBOX, container, 2, Map.of("k", "v"));
    assertThat(config.name()).isEqualTo("app");
    assertThat(config.attempt()).isEqualTo(2);
    assertThat(config.command()).containsExactly("sh", "-c");
    assertThat(config.args()).containsExactly("echo hello from 10.42.1.7 $(HOME)");
    assertThat(config.envs()).containsExactly(new KeyValue("GREETING", "hello"), new KeyValue("POD_IP", "10.42.1.7"));
    assertThat(config.mounts()).containsExactly(
        new Mount("/data", "/kubelet/pods/u-1/volumes/kubernetes.io~empty-dir/data", false));
    assertThat(config.resources().memoryLimitInBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(config.runAsUser()).as("the container's over the pod's").isEqualTo(2000L);
    assertThat(config.runAsGroup()).as("the pod's when the container has none").isEqualTo(3000L);
    assertThat(config.workingDir()).isEqualTo("/work");
    assertThat(config.tty()).isTrue();
    assertThat(config.stdin()).isTrue();
    assertThat(config.labels()).containsEntry("k", "v");
  }

  @Test
  void aContainerWithoutSettingsGetsTheImagesDefaults() throws Exception {
    Container container = new ContainerBuilder().withName("app").withImage("nginx").build();
    Pod pod = pod(container);
    pod.getSpec().setSecurityContext(null);
    ContainerConfig config = generator.generate(pod, SANDBOX, container, 0, Map.of());
    assertThat(config.runAsUser()).isNull();
    assertThat(config.workingDir()).isNull();
    assertThat(config.command()).isEmpty();
    assertThat(config.tty()).isFalse();
  }

  @Test
  void anUnresolvableReferenceIsACreateContainerConfigError() {
    Container container = new ContainerBuilder().withName("app").withImage("nginx").addNewEnv().withName("X")
        .withNewValueFrom().withNewConfigMapKeyRef("k", "settings", false).endValueFrom().endEnv().build();
    assertThatThrownBy(() -> generator.generate(pod(container), SANDBOX, container, 0, Map.of()))
        .isInstanceOf(CreateContainerConfigException.class).hasMessage("configmap \"settings\" not found");
  }
}
