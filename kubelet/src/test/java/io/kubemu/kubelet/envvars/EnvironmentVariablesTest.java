package io.kubemu.kubelet.envvars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubemu.kubelet.container.CreateContainerConfigException;
import io.kubemu.kubelet.envvars.EnvironmentVariables.PodAddresses;
import io.kubemu.kubelet.objects.InMemoryObjects;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentVariablesTest {
  private static final PodAddresses ADDRESSES = new PodAddresses("192.168.1.10", List.of("192.168.1.10"), "10.42.1.7",
      List.of("10.42.1.7"));
  private final InMemoryObjects objects = new InMemoryObjects()
      .configMap("shop", "settings", Map.of("LOG_LEVEL", "debug", "mode", "fast", "bad=key", "x"))
      .secret("shop", "db", Map.of("password", "s3cret"))
      .service(ServiceEnvVarsTest.service("default", "kubernetes", "10.43.0.1", 443, "https"))
      .service(ServiceEnvVarsTest.service("shop", "web", "10.43.0.3", 80, null));
  private final EnvironmentVariables environment = new EnvironmentVariables(objects,
      Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi")));

  private static Pod pod(Container container) {
    return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("u-1")
        .addToLabels("app", "web").addToAnnotations("owner", "team-a").endMetadata()
        .withNewSpec().withNodeName("node-1").withServiceAccountName("web-sa").addToContainers(container).endSpec()
        .build();
  }

  private Map<String, String> make(EnvVar... env) throws CreateContainerConfigException {
    Container container = new ContainerBuilder().withName("app").withImage("nginx").withEnv(env).withNewResources()
        .addToLimits("memory", new Quantity("128Mi")).endResources().build();
    return environment.make(pod(container), container, ADDRESSES);
  }

  private static EnvVar field(String name, String path) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path).endFieldRef()
        .endValueFrom().build();
  }

  private static EnvVar configMapKey(String name, String configMap, String key, Boolean optional) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewConfigMapKeyRef(key, configMap, optional)
        .endValueFrom().build();
  }

  @Test
  void valuesExpandReferencesToEarlierVariablesAndServiceVariablesOnly() throws Exception {
    Map<String, String> env = make(new EnvVar("HOST", "db", null), new EnvVar("URL", "$(HOST):$(PORT)/$(WEB_SERVICE_HOST)", null),
        new EnvVar("PORT", "5432", null), new EnvVar("LITERAL", "$$(HOST)", null));
    assertThat(env).contains(entry("URL", "db:$(PORT)/10.43.0.3"), entry("LITERAL", "$(HOST)"));
  }

  @Test
  void fieldRefsGiveThePodsFieldsAndWhatTheKubeletKnows() throws Exception {
    Map<String, String> env = make(field("NAME", "metadata.name"), field("NS", "metadata.namespace"),
        field("UID", "metadata.uid"), field("APP", "metadata.labels['app']"),
        field("OWNER", "metadata.annotations['owner']"), field("NODE", "spec.nodeName"),
        field("SA", "spec.serviceAccountName"), field("HOST_IP", "status.hostIP"), field("HOST_IPS", "status.hostIPs"),
        field("POD_IP", "status.podIP"), field("POD_IPS", "status.podIPs"));
    assertThat(env).contains(entry("NAME", "web-1"), entry("NS", "shop"), entry("UID", "u-1"), entry("APP", "web"),
        entry("OWNER", "team-a"), entry("NODE", "node-1"), entry("SA", "web-sa"), entry("HOST_IP", "192.168.1.10"),
        entry("HOST_IPS", "192.168.1.10"), entry("POD_IP", "10.42.1.7"), entry("POD_IPS", "10.42.1.7"));
  }

  @Test
  void resourceFieldRefsUseTheLimitOrTheNodesAllocatable() throws Exception {
    Map<String, String> env = make(
        new EnvVarBuilder().withName("MEM").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory")
            .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().build(),
        new EnvVarBuilder().withName("CPU").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu")
            .endResourceFieldRef().endValueFrom().build());
    assertThat(env).contains(entry("MEM", "128"), entry("CPU", "4"));
  }

  @Test
  void configMapAndSecretKeysAreResolvedAndOptionalOnesMayBeMissing() throws Exception {
    Map<String, String> env = make(configMapKey("LEVEL", "settings", "LOG_LEVEL", null),
        configMapKey("GONE", "settings", "nope", true), configMapKey("ALSO_GONE", "missing", "x", true),
        new EnvVarBuilder().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "db", null)
            .endValueFrom().build());
    assertThat(env).contains(entry("LEVEL", "debug"), entry("PASSWORD", "s3cret")).doesNotContainKeys("GONE",
        "ALSO_GONE");
  }

  @Test
  void aMissingConfigMapSecretOrKeyFailsWithKubernetesMessage() {
    assertThatThrownBy(() -> make(configMapKey("X", "missing", "k", null)))
        .isInstanceOf(CreateContainerConfigException.class).hasMessage("configmap \"missing\" not found");
    assertThatThrownBy(() -> make(configMapKey("X", "settings", "k", false)))
        .hasMessage("couldn't find key k in ConfigMap shop/settings");
    assertThatThrownBy(() -> make(new EnvVarBuilder().withName("X").withNewValueFrom()
        .withNewSecretKeyRef("user", "db", null).endValueFrom().build()))
        .hasMessage("couldn't find key user in Secret shop/db");
    assertThatThrownBy(() -> make(new EnvVarBuilder().withName("X").withNewValueFrom()
        .withNewSecretKeyRef("user", "nope", null).endValueFrom().build())).hasMessage("secret \"nope\" not found");
  }

  @Test
  void envFromAddsKeysWithThePrefixSkipsInvalidNamesAndEnvOverridesIt() throws Exception {
    Container container = new ContainerBuilder().withName("app").addNewEnvFrom().withPrefix("CFG_")
        .withNewConfigMapRef("settings", null).endEnvFrom().addNewEnvFrom().withNewSecretRef("db", null).endEnvFrom()
        .addNewEnvFrom().withNewConfigMapRef("missing", true).endEnvFrom()
        .addToEnv(new EnvVar("CFG_mode", "slow", null)).build();
    Map<String, String> env = environment.make(pod(container), container, ADDRESSES);
    assertThat(env).contains(entry("CFG_LOG_LEVEL", "debug"), entry("CFG_mode", "slow"), entry("password", "s3cret"))
        .doesNotContainKey("CFG_bad=key");
  }

  @Test
  void serviceVariablesComeLastAndDoNotOverrideTheContainersOwn() throws Exception {
    Map<String, String> env = make(new EnvVar("WEB_SERVICE_HOST", "mine", null));
    assertThat(env).containsEntry("WEB_SERVICE_HOST", "mine").containsEntry("KUBERNETES_SERVICE_HOST", "10.43.0.1");
    assertThat(List.copyOf(env.keySet()).get(0)).isEqualTo("WEB_SERVICE_HOST");
  }

  @Test
  void enableServiceLinksFalseLeavesOnlyTheKubernetesService() throws Exception {
    Container container = new ContainerBuilder().withName("app").build();
    Pod pod = pod(container);
    pod.getSpec().setEnableServiceLinks(false);
    assertThat(environment.make(pod, container, ADDRESSES)).containsKey("KUBERNETES_SERVICE_PORT")
        .doesNotContainKey("WEB_SERVICE_HOST");
  }
}
