package io.kubemu.controllermanager.replicaset;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Whether labels match a metav1.LabelSelector, as Kubernetes' {@code LabelSelectorAsSelector}:
 * every matchLabels pair and every matchExpressions requirement; a null selector matches nothing,
 * an empty one everything.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> given = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null
        && !selector.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(given.get(e.getKey())))) {
      return false;
    }
    return selector.getMatchExpressions() == null
        || selector.getMatchExpressions().stream().allMatch(requirement -> matches(requirement, given));
  }

  private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }
}
