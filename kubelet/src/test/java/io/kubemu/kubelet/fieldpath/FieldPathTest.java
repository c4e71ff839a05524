package io.kubemu.kubelet.fieldpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldPathTest {
  private static final Pod POD = new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u-1")
      .withLabels(new LinkedHashMap<>(Map.of("tier", "front", "app", "web")))
      .withAnnotations(Map.of("note", "say \"hi\"\nbye")).endMetadata().withNewSpec().endSpec().build();

  @Test
  void metadataFieldsAreThePodsOwn() throws Exception {
    assertThat(FieldPath.extract(POD, "metadata.name")).isEqualTo("web");
    assertThat(FieldPath.extract(POD, "metadata.namespace")).isEqualTo("shop");
    assertThat(FieldPath.extract(POD, "metadata.uid")).isEqualTo("u-1");
  }

  @Test
  void allLabelsAreSortedQuotedLinesAndOneLabelIsItsValue() throws Exception {
    assertThat(FieldPath.extract(POD, "metadata.labels")).isEqualTo("app=\"web\"\ntier=\"front\"");
    assertThat(FieldPath.extract(POD, "metadata.labels['tier']")).isEqualTo("front");
    assertThat(FieldPath.extract(POD, "metadata.labels['missing']")).isEmpty();
  }

  @Test
  void annotationValuesAreEscapedAsGoQuotesThem() throws Exception {
    assertThat(FieldPath.extract(POD, "metadata.annotations")).isEqualTo("note=\"say \\\"hi\\\"\\nbye\"");
    assertThat(FieldPath.extract(POD, "metadata.annotations['note']")).isEqualTo("say \"hi\"\nbye");
  }

  @Test
  void anotherFieldIsUnsupportedWithKubernetesMessage() {
    assertThatThrownBy(() -> FieldPath.extract(POD, "spec.hostname"))
        .isInstanceOf(FieldPath.UnsupportedFieldException.class).hasMessage("unsupported fieldPath: spec.hostname");
  }
}
