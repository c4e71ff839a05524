package io.kubemu.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.ConfigMap;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.meta.v1.ObjectMeta;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.runtime.RawExtension;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The apimachinery types that no served kind reaches in Kubernetes 1.33 but that have a JSON form of their own. */
class GoJsonWriterTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void aRawExtensionHoldingJsonIsThatJson() throws IOException {
    RawExtension raw = RawExtension.newBuilder()
        .setRaw(ByteString.copyFromUtf8("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"a\":\"b\"}}"))
        .build();

    assertThat(GoJsonWriter.json(raw, "object")).isEqualTo(MAPPER.readTree(
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"a\":\"b\"}}"));
  }

  @Test
  void aRawExtensionHoldingKubernetesProtobufIsReadLikeABody() throws IOException {
    ConfigMap configMap = ConfigMap.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("c"))
        .putData("a", "b")
        .build();
    RawExtension raw = RawExtension.newBuilder()
        .setRaw(ByteString.copyFrom(KubectlWire.body("v1", "ConfigMap", configMap)))
        .build();

    assertThat(GoJsonWriter.json(raw, "object")).isEqualTo(MAPPER.readTree(
        "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"b\"}}"));
  }

  @Test
  void anEmptyRawExtensionIsNull() {
    assertThat(GoJsonWriter.json(RawExtension.getDefaultInstance(), "object").isNull()).isTrue();
  }

  @Test
  void aRawExtensionHoldingNeitherIsRefused() {
    RawExtension raw = RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8("not json")).build();

    assertThatThrownBy(() -> GoJsonWriter.json(raw, "spec.object"))
        .isInstanceOfSatisfying(ProtobufBodyException.class,
            e -> assertThat(e.problem()).isEqualTo(ProtobufBodyException.Problem.MALFORMED))
        .hasMessageStartingWith("spec.object:");
  }
}
