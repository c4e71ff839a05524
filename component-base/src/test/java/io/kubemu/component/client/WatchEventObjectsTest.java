package io.kubemu.component.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class WatchEventObjectsTest {
  private final KubernetesSerialization serialization = ClientConfig.serialization();

  private static final String POD_REST = "\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\",\"labels\":"
      + "{\"app\":\"web\"},\"resourceVersion\":\"42\"},\"spec\":{\"nodeName\":\"node-2\",\"containers\":[{\"name\":\"web\","
      + "\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]},\"status\":{\"phase\":\"Running\","
      + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}";

  private WatchEvent read(String object) {
    return serialization.unmarshal("{\"type\":\"MODIFIED\",\"object\":" + object + "}", WatchEvent.class);
  }

  private static void assertIsThePod(Object object) {
    assertThat(object).isInstanceOfSatisfying(Pod.class, pod -> {
      assertThat(pod.getKind()).isEqualTo("Pod");
      assertThat(pod.getApiVersion()).isEqualTo("v1");
      assertThat(pod.getMetadata().getName()).isEqualTo("web-1");
      assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
      assertThat(pod.getMetadata().getResourceVersion()).isEqualTo("42");
      assertThat(pod.getSpec().getNodeName()).isEqualTo("node-2");
      assertThat(pod.getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toString())
          .isEqualTo("100m");
      assertThat(pod.getStatus().getConditions()).singleElement()
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    });
  }

  @Test
  void aKnownKindLeadingTheObjectIsReadIntoItsClass() {
    WatchEvent event = read("{\"kind\":\"Pod\",\"apiVersion\":\"v1\"," + POD_REST + "}");

    assertThat(event.getType()).isEqualTo("MODIFIED");
    assertIsThePod(event.getObject());
    assertThat(read("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"," + POD_REST + "}").getObject())
        .isEqualTo(event.getObject());
    assertThat(read("{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}").getObject())
        .isInstanceOfSatisfying(Pod.class, pod -> assertThat(pod.getMetadata()).isNull());
  }

  @Test
  void eachKnownKindIsReadIntoItsOwnClassWhicheverCameFirst() {
    for (int round = 0; round < 2; round++) {
      assertIsThePod(read("{\"kind\":\"Pod\",\"apiVersion\":\"v1\"," + POD_REST + "}").getObject());
      assertThat(read("{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"node-2\"},"
          + "\"spec\":{\"podCIDR\":\"10.42.2.0/24\"}}").getObject())
          .isInstanceOfSatisfying(Node.class, node -> {
            assertThat(node.getMetadata().getName()).isEqualTo("node-2");
            assertThat(node.getSpec().getPodCIDR()).isEqualTo("10.42.2.0/24");
          });
      assertThat(read("{\"kind\":\"Lease\",\"apiVersion\":\"coordination.k8s.io/v1\",\"metadata\":"
          + "{\"name\":\"node-2\"},\"spec\":{\"holderIdentity\":\"node-2\"}}").getObject())
          .isInstanceOfSatisfying(Lease.class, lease -> assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("node-2"));
    }
  }

  @Test
  void aKindAfterOtherPropertiesOrAnUnknownOneIsReadAsFabric8ReadsIt() {
    assertIsThePod(read("{" + POD_REST + ",\"kind\":\"Pod\",\"apiVersion\":\"v1\"}").getObject());
    assertIsThePod(read("{\"kind\":\"Pod\"," + POD_REST + ",\"apiVersion\":\"v1\"}").getObject());

    Object widget = read("{\"kind\":\"Widget\",\"apiVersion\":\"example.com/v1\",\"metadata\":{\"name\":\"w\"},"
        + "\"spec\":{\"size\":3}}").getObject();
    assertThat(widget).isInstanceOfSatisfying(GenericKubernetesResource.class, resource -> {
      assertThat(resource.getKind()).isEqualTo("Widget");
      assertThat(resource.getMetadata().getName()).isEqualTo("w");
      assertThat(resource.getAdditionalProperties().get("spec")).isEqualTo(java.util.Map.of("size", 3));
    });
  }

  @Test
  void anErrorEventCarriesItsStatus() {
    Object status = read("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":410,"
        + "\"reason\":\"Expired\",\"message\":\"too old resource version\"}").getObject();

    assertThat(status).isInstanceOfSatisfying(Status.class, s -> {
      assertThat(s.getCode()).isEqualTo(410);
      assertThat(s.getReason()).isEqualTo("Expired");
    });
  }
}
