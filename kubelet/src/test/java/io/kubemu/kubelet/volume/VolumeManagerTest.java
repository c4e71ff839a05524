package io.kubemu.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.kubemu.kubelet.objects.InMemoryObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeManagerTest {
  @TempDir
  Path root;

  private final InMemoryObjects objects = new InMemoryObjects()
      .configMap("shop", "settings", Map.of("app.properties", "mode=fast\n", "LOG_LEVEL", "debug"))
      .secret("shop", "db", Map.of("password", "s3cret", "user", "admin"));

  private VolumeManager manager() {
    return new VolumeManager(root, objects, Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi")));
  }

  private static Pod pod(Volume... volumes) {
    return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("u-1")
        .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("app").withNewResources()
        .addToLimits("memory", new Quantity("256Mi")).endResources().endContainer().withVolumes(volumes).endSpec()
        .build();
  }

  private Path volumeDir(String plugin, String name) {
    return root.resolve("pods/u-1/volumes/kubernetes.io~" + plugin + "/" + name);
  }

  private static KeyToPath item(String key, Integer mode, String path) {
    return new KeyToPathBuilder().withKey(key).withMode(mode).withPath(path).build();
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void emptyDirIsAWorldWritableDirectoryInThePodsDirectory() throws Exception {
    Map<String, VolumeManager.PodVolume> volumes = manager().mountPodVolumes(pod(
        new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder().withName("cache").withNewEmptyDir().withMedium("Memory").endEmptyDir().build()));
    assertThat(volumes.get("scratch").hostPath()).isEqualTo(volumeDir("empty-dir", "scratch"));
    assertThat(volumes.get("scratch").readOnly()).isFalse();
    assertThat(mode(volumeDir("empty-dir", "scratch"))).isEqualTo("rwxrwxrwx");
    assertThat(volumeDir("empty-dir", "cache")).isDirectory();
  }

  @Test
  void configMapIsAReadOnlyFilePerKeyWithTheDefaultMode() throws Exception {
    Map<String, VolumeManager.PodVolume> volumes = manager().mountPodVolumes(pod(new VolumeBuilder()
        .withName("config").withNewConfigMap().withName("settings").endConfigMap().build()));
    Path dir = volumeDir("configmap", "config");
    assertThat(volumes.get("config")).isEqualTo(new VolumeManager.PodVolume(dir, true));
    assertThat(dir.resolve("app.properties")).hasContent("mode=fast");
    assertThat(dir.resolve("LOG_LEVEL")).hasContent("debug");
    assertThat(mode(dir.resolve("LOG_LEVEL").toRealPath())).isEqualTo("rw-r--r--");
    assertThat(Files.readSymbolicLink(dir.resolve("LOG_LEVEL"))).isEqualTo(Path.of("..data/LOG_LEVEL"));
  }

  @Test
  void configMapItemsPutTheListedKeysAtTheirPathsWithTheirModes() throws Exception {
    manager().mountPodVolumes(pod(new VolumeBuilder().withName("config").withNewConfigMap().withName("settings")
        .withDefaultMode(0440).withItems(item("app.properties", 0600, "conf/app.conf"),
            item("LOG_LEVEL", null, "level")).endConfigMap().build()));
    Path dir = volumeDir("configmap", "config");
    assertThat(dir.resolve("conf/app.conf")).hasContent("mode=fast");
    assertThat(mode(dir.resolve("conf/app.conf").toRealPath())).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("level").toRealPath())).isEqualTo("r--r-----");
    assertThat(dir.resolve("LOG_LEVEL")).doesNotExist();
  }

  @Test
  void aMissingConfigMapFailsTheMountWithKubernetesMessageUnlessOptional() throws Exception {
    Volume missing = new VolumeBuilder().withName("config").withNewConfigMap().withName("absent").endConfigMap().build();
    Volume scratch = new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build();
    assertThatThrownBy(() -> manager().mountPodVolumes(pod(missing, scratch)))
        .isInstanceOfSatisfying(MountVolumeException.class, e -> assertThat(e.failures()).containsExactly(
            "MountVolume.SetUp failed for volume \"config\" : configmap \"absent\" not found"));
    assertThat(volumeDir("empty-dir", "scratch")).isDirectory();

    Volume optional = new VolumeBuilder().withName("config").withNewConfigMap().withName("absent").withOptional(true)
        .endConfigMap().build();
    manager().mountPodVolumes(pod(optional));
    assertThat(volumeDir("configmap", "config").resolve("..data")).isDirectory();
  }

  @Test
  void anItemNamingAMissingKeyFails() {
    Volume volume = new VolumeBuilder().withName("config").withNewConfigMap().withName("settings")
        .withItems(item("nope", null, "nope")).endConfigMap().build();
    assertThatThrownBy(() -> manager().mountPodVolumes(pod(volume)))
        .isInstanceOfSatisfying(MountVolumeException.class, e -> assertThat(e.failures()).containsExactly(
            "MountVolume.SetUp failed for volume \"config\" : configmap references non-existent config key: nope"));
  }

  @Test
  void anUpdatedConfigMapReplacesTheFilesAtOnceAndDropsRemovedKeys() throws Exception {
    Pod pod = pod(new VolumeBuilder().withName("config").withNewConfigMap().withName("settings").endConfigMap().build());
    VolumeManager manager = manager();
    manager.mountPodVolumes(pod);
    Path dir = volumeDir("configmap", "config");
    Path first = Files.readSymbolicLink(dir.resolve("..data"));
    manager.mountPodVolumes(pod);
    assertThat(Files.readSymbolicLink(dir.resolve("..data"))).as("unchanged: not rewritten").isEqualTo(first);

    objects.configMap("shop", "settings", Map.of("LOG_LEVEL", "info"));
    manager.mountPodVolumes(pod);
    assertThat(dir.resolve("LOG_LEVEL")).hasContent("info");
    assertThat(dir.resolve("app.properties")).doesNotExist();
    try (var entries = Files.list(dir)) {
      assertThat(entries.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("..2")))
          .as("only the current timestamped directory is left").hasSize(1);
    }
  }

  @Test
  void secretFilesAreTheDecodedValues() throws Exception {
    manager().mountPodVolumes(pod(new VolumeBuilder().withName("creds").withNewSecret().withSecretName("db")
        .endSecret().build()));
    assertThat(volumeDir("secret", "creds").resolve("password")).hasContent("s3cret");
    assertThat(volumeDir("secret", "creds").resolve("user")).hasContent("admin");
    assertThatThrownBy(() -> manager().mountPodVolumes(pod(new VolumeBuilder().withName("creds").withNewSecret()
        .withSecretName("gone").endSecret().build())))
        .isInstanceOfSatisfying(MountVolumeException.class, e -> assertThat(e.failures()).containsExactly(
            "MountVolume.SetUp failed for volume \"creds\" : secret \"gone\" not found"));
  }

  @Test
  void downwardApiWritesFieldsAndResources() throws Exception {
    manager().mountPodVolumes(pod(new VolumeBuilder().withName("info").withNewDownwardAPI()
        .addNewItem().withPath("name").withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endItem()
        .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
        .addNewItem().withPath("mem").withNewResourceFieldRef().withContainerName("app").withResource("limits.memory")
        .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endItem()
        .addNewItem().withPath("cpu").withNewResourceFieldRef().withContainerName("app").withResource("limits.cpu")
        .endResourceFieldRef().endItem()
        .endDownwardAPI().build()));
    Path dir = volumeDir("downward-api", "info");
    assertThat(dir.resolve("name")).hasContent("web-1");
    assertThat(dir.resolve("labels")).hasContent("app=\"web\"");
    assertThat(dir.resolve("mem")).hasContent("256");
    assertThat(dir.resolve("cpu")).hasContent("4");
  }

  @Test
  void projectedVolumeHoldsEverySourceAndTheTokenWhenOneIsIssued() throws Exception {
    Volume access = new VolumeBuilder().withName("kube-api-access").withNewProjected()
        .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L)
        .endServiceAccountToken().endSource()
        .addNewSource().withNewConfigMap().withName("settings").addNewItem().withKey("LOG_LEVEL").withPath("level")
        .endItem().endConfigMap().endSource()
        .addNewSource().withNewSecret().withName("db").addNewItem().withKey("user").withPath("user").endItem()
        .endSecret().endSource()
        .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef()
        .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
        .endProjected().build();
    manager().mountPodVolumes(pod(access));
    Path dir = volumeDir("projected", "kube-api-access");
    assertThat(dir.resolve("level")).hasContent("debug");
    assertThat(dir.resolve("user")).hasContent("admin");
    assertThat(dir.resolve("namespace")).hasContent("shop");
    assertThat(dir.resolve("token")).as("no token issued: no token file").doesNotExist();

    objects.token("eyJ.token");
    manager().mountPodVolumes(pod(access));
    assertThat(dir.resolve("token")).hasContent("eyJ.token");
  }

  @Test
  void aPodsDirectoryGoesWithItAndOrphanedOnesAtCleanupButHostPathsStay() throws Exception {
    Path host = Files.createDirectory(root.resolve("host-data"));
    VolumeManager manager = manager();
    manager.mountPodVolumes(pod(new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder().withName("data").withNewHostPath().withPath(host.toString()).endHostPath().build()));
    Files.createDirectories(root.resolve("pods/u-2/volumes"));
    Files.createDirectories(root.resolve("pods/u-3/volumes"));

    manager.cleanupOrphanedPodDirs(Set.of("u-1", "u-3"));
    assertThat(root.resolve("pods")).isDirectoryContaining(path -> path.endsWith("u-1"))
        .isDirectoryContaining(path -> path.endsWith("u-3")).isDirectoryNotContaining(path -> path.endsWith("u-2"));
    manager.cleanupPod("u-1");
    assertThat(manager.podDir("u-1")).doesNotExist();
    assertThat(host).isDirectory();
  }

  @Test
  void aVolumeOfAKindWithoutPluginIsAnEmptyDirectory() throws Exception {
    Map<String, VolumeManager.PodVolume> volumes = manager().mountPodVolumes(pod(new VolumeBuilder().withName("data")
        .withNewPersistentVolumeClaim().withClaimName("data-0").endPersistentVolumeClaim().build()));
    assertThat(volumes.get("data").hostPath()).isDirectory()
        .isEqualTo(root.resolve("pods/u-1/volumes/kubernetes.io~unsupported/data"));
  }
}
