package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The apiserver from a typed client's side: the fabric8 client, which every other kubemu
 * component uses as Kubernetes' components use client-go, does CRUD, runs informers, and
 * its watches carry on across an apiserver restart.
 */
class Fabric8ClientIT {
  @RegisterExtension
  static final ControlPlane cluster = new ControlPlane();
  static KubernetesClient client;

  @BeforeAll
  static void connect() {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + cluster.apiserver().port())
        .withNamespace("default").withRequestRetryBackoffLimit(20).withRequestRetryBackoffInterval(100).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void typedCrudRoundTrips() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("typed").endMetadata().build())
        .create();
    ConfigMap created = client.configMaps().inNamespace("typed").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("settings").addToLabels("app", "web").endMetadata()
        .addToData("mode", "fast").build()).create();
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThat(created.getMetadata().getResourceVersion()).isNotEmpty();

    ConfigMap edited = client.configMaps().inNamespace("typed").withName("settings")
        .edit(map -> new ConfigMapBuilder(map).addToData("size", "large").build());
    assertThat(edited.getData()).containsEntry("mode", "fast").containsEntry("size", "large");
    assertThat(Long.parseLong(edited.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));

    // A stale resourceVersion is a 409 Conflict, as client-go's callers expect.
    assertThatThrownBy(() -> client.configMaps().inNamespace("typed").resource(created).update())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));

    client.configMaps().inNamespace("typed").withName("settings")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"mode\":\"slow\"}}");
    assertThat(client.configMaps().inNamespace("typed").withLabel("app", "web").list().getItems())
        .singleElement().satisfies(map -> assertThat(map.getData()).containsEntry("mode", "slow"));

    assertThat(client.configMaps().inNamespace("typed").withName("settings").delete()).hasSize(1);
    assertThat(client.configMaps().inNamespace("typed").withName("settings").get()).isNull();
  }

  @Test
  void deploymentsScaleAndTheirStatusIsWrittenThroughTheSubresource() {
    Deployment deployment = client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.25").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    assertThat(deployment.getMetadata().getGeneration()).isEqualTo(1L);

    client.apps().deployments().inNamespace("default").withName("web").scale(3);
    Deployment scaled = client.apps().deployments().inNamespace("default").withName("web").get();
    assertThat(scaled.getSpec().getReplicas()).isEqualTo(3);
    assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);

    Deployment reported = client.apps().deployments().inNamespace("default").withName("web").editStatus(d -> {
      d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
          .withObservedGeneration(2L).withReplicas(3).withReadyReplicas(3).build());
      return d;
    });
    assertThat(reported.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(reported.getMetadata().getGeneration()).isEqualTo(2L); // status writes are not spec changes
  }

  @Test
  void anInformerSeesAdditionsUpdatesAndDeletionsAndKeepsWatchingAcrossAnApiserverRestart() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("informed").endMetadata().build())
        .create();
    Map<String, String> seen = new ConcurrentHashMap<>();
    Set<String> deleted = ConcurrentHashMap.newKeySet();
    SharedIndexInformer<Pod> informer = client.pods().inNamespace("informed").inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        seen.put(pod.getMetadata().getName(), image(pod));
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        seen.put(pod.getMetadata().getName(), image(pod));
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        deleted.add(pod.getMetadata().getName());
      }
    });
    try {
      for (String name : List.of("a", "b", "c")) {
        client.pods().inNamespace("informed").resource(pod(name, "busybox:1")).create();
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(seen).containsOnlyKeys("a", "b", "c"));
      client.pods().inNamespace("informed").withName("a").edit(pod -> {
        pod.getSpec().getContainers().get(0).setImage("busybox:2");
        return pod;
      });
      client.pods().inNamespace("informed").withName("b").withGracePeriod(0).delete();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(seen).containsEntry("a", "busybox:2");
        assertThat(deleted).containsExactly("b");
      });
      assertThat(informer.getStore().list()).extracting(pod -> pod.getMetadata().getName())
          .containsExactlyInAnyOrder("a", "c");

      cluster.restartApiserver();
      client.pods().inNamespace("informed").resource(pod("d", "busybox:1")).create();
      client.pods().inNamespace("informed").withName("c").withGracePeriod(0).delete();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(seen).containsKey("d");
        assertThat(deleted).containsExactlyInAnyOrder("b", "c");
        assertThat(informer.getStore().list()).extracting(pod -> pod.getMetadata().getName())
            .containsExactlyInAnyOrder("a", "d");
      });
    } finally {
      informer.close();
    }
  }

  private static Pod pod(String name, String image) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addNewContainer().withName("main").withImage(image).endContainer().endSpec().build();
  }

  private static String image(Pod pod) {
    return pod.getSpec().getContainers().get(0).getImage();
  }
}
