package io.kubemu.component.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.component.client.RecordingServer;
import io.kubemu.component.client.RecordingServer.Answer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InformerFactoryTest {
  // Informers are only made here, never started: nothing listens on this port.
  final KubernetesClient client = new KubernetesClientBuilder()
      .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:9").build()).build();
  final InformerFactory informers = new InformerFactory(client, Duration.ZERO);

  @AfterEach
  void close() {
    informers.close();
    client.close();
  }

  @Test
  void aMetadataReaderOfABuiltInKindSharesTheTypedInformerWhicheverAsksFirst() {
    SharedIndexInformer<Pod> pods = informers.informerFor(Pod.class);
    assertThat(informers.metadataInformerFor(context("", "v1", "Pod", "pods"))).isSameAs(pods);

    SharedIndexInformer<?> replicaSets =
        informers.metadataInformerFor(context("apps", "v1", "ReplicaSet", "replicasets"));
    assertThat(informers.informerFor(ReplicaSet.class)).isSameAs(replicaSets);
  }

  @Test
  void aKindWithoutAModelClassGetsAGenericInformer() {
    ResourceDefinitionContext widgets = context("example.com", "v1", "Widget", "widgets");

    assertThat(informers.metadataInformerFor(widgets)).isSameAs(informers.informerFor(widgets))
        .isNotSameAs(informers.informerFor(Pod.class));
  }

  @Test
  void anInformerStartedBeforeTheApiserverAnswersSyncsOnceItDoes() throws Exception {
    try (RecordingServer apiserver = new RecordingServer();
        InformerFactory factory = new InformerFactory(apiserver.client(), Duration.ZERO)) {
      String unavailable = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":503}";
      apiserver.answer(new Answer(503, unavailable), new Answer(503, unavailable),
          new Answer(200, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"7\"},"
              + "\"items\":[{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"resourceVersion\":\"7\"}}]}"),
          new Answer(200, "")); // the watches after it end at once, and are made again
      SharedIndexInformer<Pod> pods = factory.informerFor(Pod.class);

      factory.start().get(30, TimeUnit.SECONDS);

      assertThat(pods.hasSynced()).isTrue();
      assertThat(pods.getStore().list()).extracting(pod -> pod.getMetadata().getName()).containsExactly("web");
    }
  }

  private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withNamespaced(true).build();
  }
}
