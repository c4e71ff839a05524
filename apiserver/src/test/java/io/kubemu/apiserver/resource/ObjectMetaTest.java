package io.kubemu.apiserver.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ObjectMetaTest {
  private final ObjectMapper json = new ObjectMapper();
  private final ResourceType replicaSets = new Resources().find("apps", "v1", "replicasets").orElseThrow();

  private ObjectNode parse(String text) throws Exception {
    return (ObjectNode) json.readTree(text);
  }

  @Test
  void emptyOwnerReferencesAndFinalizersAreNotStoredAsKubernetesOmitsThem() throws Exception {
    ObjectNode created = parse("{\"metadata\":{\"name\":\"web\",\"ownerReferences\":[],\"finalizers\":[]},\"spec\":{}}");
    ObjectMeta.prepareForCreate(replicaSets, "default", created);
    assertThat(created.path("metadata").has("ownerReferences")).isFalse();
    assertThat(created.path("metadata").has("finalizers")).isFalse();

    // the garbage collector's strategic merge patch that orphans a ReplicaSet leaves an empty list
    ObjectNode orphaned = parse("{\"metadata\":{\"name\":\"web\",\"ownerReferences\":[],\"finalizers\":[\"keep\"]},"
        + "\"spec\":{}}");
    ObjectMeta.prepareForUpdate(replicaSets, "default", "web", orphaned, created);
    assertThat(orphaned.path("metadata").has("ownerReferences")).isFalse();
    assertThat(orphaned.path("metadata").path("finalizers").size()).isEqualTo(1);
  }
}
