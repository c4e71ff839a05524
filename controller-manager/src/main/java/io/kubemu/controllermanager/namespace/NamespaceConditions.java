package io.kubemu.controllermanager.namespace;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The conditions a terminating namespace reports ({@code kubectl describe namespace} shows them),
 * as Kubernetes' namespace controller writes them: each of five types is True with a reason
 * while that failure or remaining content is present, else False with its "all is well" reason
 * and message.
 */
final class NamespaceConditions {
  private enum Type {
    NamespaceDeletionDiscoveryFailure("ResourcesDiscovered", "All resources successfully discovered"),
    NamespaceDeletionGroupVersionParsingFailure("ParsedGroupVersions", "All legacy kube types successfully parsed"),
    NamespaceDeletionContentFailure("ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
    NamespaceContentRemaining("ContentRemoved", "All content successfully removed"),
    NamespaceFinalizersRemaining("ContentHasNoFinalizers", "All content-preserving finalizers finished");

    final String okReason;
    final String okMessage;

    Type(String okReason, String okMessage) {
      this.okReason = okReason;
      this.okMessage = okMessage;
    }
  }

  private NamespaceConditions() {}

  /**
   * Brings the status's conditions up to date with what a deletion pass found; returns whether
   * anything changed. A condition's lastTransitionTime moves only when its status flips.
   */
  static boolean update(NamespaceStatus status, ContentDeletion deletion, Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<NamespaceCondition> conditions = status.getConditions() == null ? new ArrayList<>()
        : new ArrayList<>(status.getConditions());
    boolean changed = false;
    for (Type type : Type.values()) {
      NamespaceCondition wanted = condition(type, deletion, time);
      NamespaceCondition existing = conditions.stream().filter(c -> type.name().equals(c.getType())).findFirst()
          .orElse(null);
      if (existing == null) {
        conditions.add(wanted);
        changed = true;
      } else if (!existing.getStatus().equals(wanted.getStatus())) {
        conditions.set(conditions.indexOf(existing), wanted);
        changed = true;
      } else if (!wanted.getReason().equals(existing.getReason()) || !wanted.getMessage().equals(existing.getMessage())) {
        existing.setReason(wanted.getReason());
        existing.setMessage(wanted.getMessage());
        changed = true;
      }
    }
    status.setConditions(conditions);
    return changed;
  }

  private static NamespaceCondition condition(Type type, ContentDeletion deletion, String time) {
    switch (type) {
      case NamespaceDeletionContentFailure -> {
        if (!deletion.errors.isEmpty()) {
          return new NamespaceCondition(time, "Failed to delete all resource types, " + deletion.errors.size()
              + " remaining: " + String.join(", ", deletion.errors.stream().sorted().toList()),
              "ContentDeletionFailed", "True", type.name());
        }
      }
      case NamespaceContentRemaining -> {
        if (!deletion.remaining.isEmpty()) {
          return new NamespaceCondition(time, "Some resources are remaining: "
              + counted(deletion.remaining, "%s has %d resource instances"), "SomeResourcesRemain", "True", type.name());
        }
      }
      case NamespaceFinalizersRemaining -> {
        if (!deletion.finalizers.isEmpty()) {
          return new NamespaceCondition(time, "Some content in the namespace has finalizers remaining: "
              + counted(deletion.finalizers, "%s in %d resource instances"), "SomeFinalizersRemain", "True", type.name());
        }
      }
      default -> { }
    }
    return new NamespaceCondition(time, type.okMessage, type.okReason, "False", type.name());
  }

  private static String counted(Map<String, Integer> counts, String format) {
    return counts.entrySet().stream().map(e -> String.format(format, e.getKey(), e.getValue()))
        .sorted().collect(Collectors.joining(", "));
  }
}
