package io.kubemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.scheduler.framework.FilterPlugin;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;
import java.util.List;
import java.util.Map;

/**
 * spec.nodeSelector and the required node affinity: the node's labels must carry every
 * nodeSelector pair, and match one of the required terms (a term matches when all its
 * matchExpressions, In/NotIn/Exists/DoesNotExist/Gt/Lt, and matchFields on metadata.name hold).
 */
public final class NodeAffinity implements FilterPlugin {
  static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return "NodeAffinity";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    return matches(pod, node.node()) ? Status.FITS : Status.unresolvable(REASON);
  }

  static boolean matches(Pod pod, Node node) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null) { // a loop, not a stream: this runs for every pod and node
      for (Map.Entry<String, String> pair : selector.entrySet()) {
        if (!pair.getValue().equals(labels.get(pair.getKey()))) {
          return false;
        }
      }
    }
    NodeSelector required = required(pod.getSpec().getAffinity());
    return required == null || required.getNodeSelectorTerms().stream()
        .anyMatch(term -> matches(term, labels, node.getMetadata().getName()));
  }

  private static NodeSelector required(Affinity affinity) {
    return affinity == null || affinity.getNodeAffinity() == null ? null
        : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
  }

  /** A term with neither expressions nor fields matches no node, as in Kubernetes. */
  private static boolean matches(NodeSelectorTerm term, Map<String, String> labels, String nodeName) {
    List<NodeSelectorRequirement> expressions = listOrEmpty(term.getMatchExpressions());
    List<NodeSelectorRequirement> fields = listOrEmpty(term.getMatchFields());
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false;
    }
    return expressions.stream().allMatch(requirement -> matches(requirement, labels))
        && fields.stream().allMatch(requirement -> "metadata.name".equals(requirement.getKey())
            && matches(requirement, Map.of("metadata.name", nodeName)));
  }

  static boolean matches(NodeSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = listOrEmpty(requirement.getValues());
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt" -> compare(value, values) > 0;
      case "Lt" -> compare(value, values) < 0;
      default -> false;
    };
  }

  /** The sign of label minus the one value, both integers; 0 (no match either way) when not. */
  private static int compare(String label, List<String> values) {
    if (label == null || values.size() != 1) {
      return 0;
    }
    try {
      return Long.compare(Long.parseLong(label), Long.parseLong(values.get(0)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static <T> List<T> listOrEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
