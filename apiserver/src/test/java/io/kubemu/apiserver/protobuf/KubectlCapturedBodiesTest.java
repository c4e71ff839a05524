package io.kubemu.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies the real kubectl 1.33 sent as protobuf (see kubectl-1.33/README.md) read as the JSON it would have sent. */
class KubectlCapturedBodiesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {
      "create-deployment-nginx",
      "create-deployment-zero-replicas-0",
      "create-namespace-x",
      "create-service-clusterip-s",
      "create-configmap-c",
      "create-secret-generic-s"})
  void kubectlCreateBodyReadsAsTheJsonKubectlWouldHaveSent(String command) throws IOException {
    byte[] body = fixture(command + ".pb");

    assertThat(KubeProtobuf.toJson(body)).isEqualTo(MAPPER.readTree(fixture(command + ".json")));
  }

  @Test
  void drainDeletingAPodSendsEmptyDeleteOptions() throws IOException {
    JsonNode json = KubeProtobuf.toJson(fixture("drain-disable-eviction-delete-pod.pb"));

    assertThat(json).isEqualTo(MAPPER.readTree("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\"}"));
  }

  @Test
  void drainWithGracePeriodZeroKeepsTheZero() throws IOException {
    JsonNode json = KubeProtobuf.toJson(fixture("drain-disable-eviction-grace-period-0-delete-pod.pb"));

    assertThat(json).isEqualTo(MAPPER.readTree(
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0}"));
  }

  /**
   * The served pod sets most PodSpec fields, pointers to zero values, inline structs (volume
   * sources, probe handlers, env sources) and quantities: Go read it as JSON and wrote it as
   * protobuf, so it must read back as the same JSON.
   */
  @Test
  void kubectlDebugCopyToCarriesThePodSpecItReadAsJson() throws IOException {
    ObjectNode served = (ObjectNode) MAPPER.readTree(fixture("debug-copy-to-rich-debug.served-pod.json"));

    JsonNode json = KubeProtobuf.toJson(fixture("debug-copy-to-rich-debug.pb"));

    // kubectl debug --copy-to keeps the spec, starts new metadata and status, and adds its container.
    ObjectNode expected = served.deepCopy();
    expected.set("metadata", MAPPER.readTree("""
        {"name":"rich-debug","namespace":"default","creationTimestamp":null,"annotations":{"note":"x"}}"""));
    expected.set("status", MAPPER.createObjectNode());
    ((ArrayNode) expected.at("/spec/containers")).add(MAPPER.readTree("""
        {"name":"debugger-wk49h","image":"busybox","resources":{},"terminationMessagePolicy":"File"}"""));
    assertThat(json).isEqualTo(expected);
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = KubectlCapturedBodiesTest.class.getResourceAsStream("kubectl-1.33/" + name)) {
      if (in == null) {
        throw new IOException("no fixture " + name);
      }
      return in.readAllBytes();
    }
  }
}
