package io.kubemu.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.apiserver.patch.PatchStrategies.Strategy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatchStrategiesTest {

  @Test
  void theContainersOfADeploymentMergeByName() {
    assertThat(PatchStrategies.of("Deployment", "spec.template.spec.containers"))
        .contains(new Strategy("merge", "name"));
  }

  @Test
  void listsInsideListItemsAreFoundThroughTheItemType() {
    assertThat(PatchStrategies.of("Pod", "spec.containers.env")).contains(new Strategy("merge", "name"));
    assertThat(PatchStrategies.of("Pod", "spec.initContainers.ports")).contains(new Strategy("merge", "containerPort"));
    assertThat(PatchStrategies.of("ReplicaSet", "spec.template.spec.ephemeralContainers.volumeMounts"))
        .contains(new Strategy("merge", "mountPath"));
  }

  @Test
  void finalizersOfEveryKindMergeAsAListOfPrimitives() {
    for (String kind : PatchStrategies.kinds()) {
      Strategy finalizers = PatchStrategies.of(kind, "metadata.finalizers").orElseThrow();
      assertThat(finalizers.merges()).as(kind).isTrue();
      assertThat(finalizers.mergeKey()).as(kind).isNull();
    }
  }

  @Test
  void aDeploymentStrategyRetainsKeysAndVolumesBothMergeAndRetainKeys() {
    Strategy strategy = PatchStrategies.of("Deployment", "spec.strategy").orElseThrow();
    Strategy volumes = PatchStrategies.of("Deployment", "spec.template.spec.volumes").orElseThrow();

    assertThat(strategy.retainsKeys()).isTrue();
    assertThat(strategy.merges()).isFalse();
    assertThat(volumes.retainsKeys()).isTrue();
    assertThat(volumes.merges()).isTrue();
    assertThat(volumes.mergeKey()).isEqualTo("name");
  }

  @Test
  void atomicListsAndMapsHaveNoStrategy() {
    assertThat(PatchStrategies.of("Pod", "spec.tolerations")).isEmpty();
    assertThat(PatchStrategies.of("Pod", "spec.containers.envFrom")).isEmpty();
    assertThat(PatchStrategies.of("Endpoints", "subsets")).isEmpty();
    assertThat(PatchStrategies.of("ConfigMap", "data")).isEmpty();
    assertThat(PatchStrategies.of("Pod", "metadata.labels.spec.containers")).isEmpty();
  }

  @Test
  void anUnknownKindHasNoStrategies() {
    assertThat(PatchStrategies.knows("CronJob")).isFalse();
    assertThat(PatchStrategies.of("CronJob", "metadata.finalizers")).isEmpty();
    assertThat(PatchStrategies.of("CronJob")).isEmpty();
  }

  @Test
  void everyTaggedFieldOfAKindIsListedByPathForTheOpenApiGenerator() {
    assertThat(PatchStrategies.of("Service")).containsOnly(
        entry("metadata.finalizers", "merge", null),
        entry("metadata.ownerReferences", "merge", "uid"),
        entry("spec.ports", "merge", "port"),
        entry("status.conditions", "merge", "type"));
    assertThat(PatchStrategies.of("Deployment")).contains(
        entry("spec.template.metadata.finalizers", "merge", null),
        entry("spec.template.spec.containers", "merge", "name"),
        entry("spec.template.spec.containers.env", "merge", "name"),
        entry("spec.template.spec.hostAliases", "merge", "ip"),
        entry("spec.template.spec.topologySpreadConstraints", "merge", "topologyKey"),
        entry("spec.strategy", "retainKeys", null),
        entry("status.conditions", "merge", "type"));
  }

  @Test
  void theTaggedFieldsOfOneTypeAreListedForADefinitionSchema() {
    assertThat(PatchStrategies.ofType("Container")).containsOnly(
        entry("env", "merge", "name"),
        entry("ports", "merge", "containerPort"),
        entry("volumeDevices", "merge", "devicePath"),
        entry("volumeMounts", "merge", "mountPath"));
    assertThat(PatchStrategies.ofType("EphemeralContainer")).isEqualTo(PatchStrategies.ofType("Container"));
    assertThat(PatchStrategies.ofType("PodSpec")).containsKeys("containers", "volumes", "imagePullSecrets")
        .doesNotContainKey("tolerations");
  }

  @Test
  void theKindsTheApiserverServesAreCovered() {
    assertThat(PatchStrategies.kinds()).contains("Pod", "Node", "Service", "Endpoints", "ConfigMap", "Secret",
        "ServiceAccount", "Namespace", "Event", "Deployment", "ReplicaSet", "Lease", "EndpointSlice");
  }

  private static Map.Entry<String, Strategy> entry(String path, String patchStrategy, String mergeKey) {
    return Map.entry(path, new Strategy(patchStrategy, mergeKey));
  }
}
