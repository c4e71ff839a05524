package io.kubemu.component.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
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

  private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withNamespaced(true).build();
  }
}
