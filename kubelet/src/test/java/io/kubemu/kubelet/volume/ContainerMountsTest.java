package io.kubemu.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.kubemu.kubelet.container.CreateContainerConfigException;
import io.kubemu.kubelet.runtime.ContainerConfig.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerMountsTest {
  @TempDir
  Path dir;
  private Map<String, VolumeManager.PodVolume> volumes;

  @BeforeEach
  void volumes() throws Exception {
    volumes = Map.of("data", new VolumeManager.PodVolume(Files.createDirectory(dir.resolve("data")), false),
        "config", new VolumeManager.PodVolume(Files.createDirectory(dir.resolve("config")), true));
  }

  @Test
  void mountsAreTheVolumesPathsReadOnlyWhenAskedOrWhenTheVolumeAlwaysIs() throws Exception {
    Container container = new ContainerBuilder().withName("app").addNewVolumeMount().withName("data")
        .withMountPath("/data").endVolumeMount().addNewVolumeMount().withName("data").withMountPath("/ro")
        .withReadOnly(true).endVolumeMount().addNewVolumeMount().withName("config").withMountPath("/etc/app")
        .endVolumeMount().build();
    assertThat(ContainerMounts.make(container, volumes, Map.of())).containsExactly(
        new Mount("/data", dir.resolve("data").toString(), false), new Mount("/ro", dir.resolve("data").toString(), true),
        new Mount("/etc/app", dir.resolve("config").toString(), true));
  }

  @Test
  void aSubPathIsCreatedInTheVolumeAndSubPathExprExpandsTheEnvironment() throws Exception {
    Container container = new ContainerBuilder().withName("app").addNewVolumeMount().withName("data")
        .withMountPath("/var/lib/mysql").withSubPath("mysql").endVolumeMount().addNewVolumeMount().withName("data")
        .withMountPath("/logs").withSubPathExpr("logs/$(POD_NAME)").endVolumeMount().build();
    assertThat(ContainerMounts.make(container, volumes, Map.of("POD_NAME", "web-1"))).containsExactly(
        new Mount("/var/lib/mysql", dir.resolve("data/mysql").toString(), false),
        new Mount("/logs", dir.resolve("data/logs/web-1").toString(), false));
    assertThat(dir.resolve("data/logs/web-1")).isDirectory();
  }

  @Test
  void anUnknownVolumeOrAnEscapingSubPathIsAConfigError() {
    Container unknown = new ContainerBuilder().withName("app").addNewVolumeMount().withName("nope")
        .withMountPath("/x").endVolumeMount().build();
    assertThatThrownBy(() -> ContainerMounts.make(unknown, volumes, Map.of()))
        .isInstanceOf(CreateContainerConfigException.class)
        .hasMessage("cannot find volume \"nope\" to mount into container \"app\"");
    Container absolute = new ContainerBuilder().withName("app").addNewVolumeMount().withName("data")
        .withMountPath("/x").withSubPath("/etc").endVolumeMount().build();
    assertThatThrownBy(() -> ContainerMounts.make(absolute, volumes, Map.of()))
        .hasMessage("error SubPath `/etc` must not be an absolute path");
    Container backstep = new ContainerBuilder().withName("app").addNewVolumeMount().withName("data")
        .withMountPath("/x").withSubPath("a/../../etc").endVolumeMount().build();
    assertThatThrownBy(() -> ContainerMounts.make(backstep, volumes, Map.of()))
        .hasMessage("unable to provision SubPath `a/../../etc`: must not contain '..'");
  }
}
