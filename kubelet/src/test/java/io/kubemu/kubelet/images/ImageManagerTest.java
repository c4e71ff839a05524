package io.kubemu.kubelet.images;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageManagerTest {
  @Test
  void anImageWithoutTagOrTaggedLatestIsPulledAlwaysAnyOtherIfNotPresent() {
    assertThat(ImageManager.defaultPullPolicy("nginx")).isEqualTo("Always");
    assertThat(ImageManager.defaultPullPolicy("nginx:latest")).isEqualTo("Always");
    assertThat(ImageManager.defaultPullPolicy("registry.local:5000/team/nginx")).isEqualTo("Always");
    assertThat(ImageManager.defaultPullPolicy("nginx:1.27")).isEqualTo("IfNotPresent");
    assertThat(ImageManager.defaultPullPolicy("registry.local:5000/nginx:1.27")).isEqualTo("IfNotPresent");
    assertThat(ImageManager.defaultPullPolicy("nginx@sha256:0123")).isEqualTo("IfNotPresent");
  }
}
