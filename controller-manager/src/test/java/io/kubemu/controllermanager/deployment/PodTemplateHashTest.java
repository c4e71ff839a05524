package io.kubemu.controllermanager.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
  @Test
  void equalTemplatesHashAlikeAndDifferentOnesDo() {
    String hash = PodTemplateHash.compute(Fixtures.template("nginx:1.25"), null);

    assertThat(PodTemplateHash.compute(Fixtures.template("nginx:1.25"), null)).isEqualTo(hash);
    assertThat(PodTemplateHash.compute(Fixtures.template("nginx:1.26"), null)).isNotEqualTo(hash);
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
  }

  @Test
  void aCollisionCountGivesAnotherHash() {
    PodTemplateSpec template = Fixtures.template("nginx:1.25");

    assertThat(PodTemplateHash.compute(template, 1)).isNotEqualTo(PodTemplateHash.compute(template, null))
        .isNotEqualTo(PodTemplateHash.compute(template, 2));
  }

  @Test
  void safeEncodingMapsEveryDigitIntoTheAlphabet() {
    assertThat(PodTemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
  }

  @Test
  void theHashLabelIsIgnoredWhenComparingTemplates() {
    PodTemplateSpec labelled = new PodTemplateSpecBuilder(Fixtures.template("nginx:1.25")).editMetadata()
        .addToLabels(PodTemplateHash.LABEL, "abc").endMetadata().build();

    assertThat(PodTemplateHash.equalIgnoreHash(labelled, Fixtures.template("nginx:1.25"))).isTrue();
    assertThat(PodTemplateHash.equalIgnoreHash(labelled, Fixtures.template("nginx:1.26"))).isFalse();
  }
}
