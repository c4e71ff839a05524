package io.kubemu.controllermanager.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceConditionsTest {
  private static final Instant T1 = Instant.parse("2025-01-01T10:00:00.123Z");
  private static final Instant T2 = Instant.parse("2025-01-01T10:00:30Z");

  private static NamespaceCondition find(NamespaceStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void anEmptiedNamespaceReportsFiveConditionsAllWell() {
    NamespaceStatus status = new NamespaceStatus(List.of(), "Terminating");
    assertThat(NamespaceConditions.update(status, new ContentDeletion(), T1)).isTrue();

    assertThat(status.getConditions()).extracting(NamespaceCondition::getType).containsExactly(
        "NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure",
        "NamespaceDeletionContentFailure", "NamespaceContentRemaining", "NamespaceFinalizersRemaining");
    assertThat(status.getConditions()).allSatisfy(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
    });
    assertThat(find(status, "NamespaceContentRemaining").getMessage()).isEqualTo("All content successfully removed");
    assertThat(find(status, "NamespaceContentRemaining").getReason()).isEqualTo("ContentRemoved");
    assertThat(NamespaceConditions.update(status, new ContentDeletion(), T2)).as("nothing new").isFalse();
  }

  @Test
  void remainingContentAndFinalizersAreCountedAsKubernetesWordsIt() {
    NamespaceStatus status = new NamespaceStatus(List.of(), "Terminating");
    NamespaceConditions.update(status, new ContentDeletion(), T1);
    ContentDeletion pass = new ContentDeletion();
    pass.remaining.put("pods.", 9);
    pass.remaining.put("deployments.apps", 1);
    pass.finalizers.put("example.com/keep", 1);
    pass.errors.add("unexpected items still remain in namespace: x for gvr: /v1, Resource=pods");

    assertThat(NamespaceConditions.update(status, pass, T2)).isTrue();
    NamespaceCondition remaining = find(status, "NamespaceContentRemaining");
    assertThat(remaining.getStatus()).isEqualTo("True");
    assertThat(remaining.getReason()).isEqualTo("SomeResourcesRemain");
    assertThat(remaining.getMessage()).isEqualTo(
        "Some resources are remaining: deployments.apps has 1 resource instances, pods. has 9 resource instances");
    assertThat(remaining.getLastTransitionTime()).isEqualTo("2025-01-01T10:00:30Z");
    assertThat(find(status, "NamespaceFinalizersRemaining").getMessage())
        .isEqualTo("Some content in the namespace has finalizers remaining: example.com/keep in 1 resource instances");
    assertThat(find(status, "NamespaceDeletionContentFailure").getMessage()).isEqualTo("Failed to delete all resource "
        + "types, 1 remaining: unexpected items still remain in namespace: x for gvr: /v1, Resource=pods");
    assertThat(find(status, "NamespaceDeletionDiscoveryFailure").getLastTransitionTime())
        .as("unchanged conditions keep their time").isEqualTo("2025-01-01T10:00:00Z");
  }
}
