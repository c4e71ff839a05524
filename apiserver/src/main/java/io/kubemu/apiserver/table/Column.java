package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One column of a Table: the header kubectl prints (upper-cased), the cell type, an optional
 * format ("name" marks the column that holds the object's name), a description, and the
 * priority: 0 is always shown, 1 only with {@code -o wide}.
 */
public record Column(String name, String type, String format, String description, int priority) {

  /** The NAME column every kind starts with. */
  static final Column NAME = new Column("Name", "string", "name",
      "Name of the object: unique per kind within its namespace, or cluster-wide for cluster-scoped kinds.", 0);

  /** The AGE column: time since metadata.creationTimestamp. */
  static final Column AGE = string("Age", "Time since the object was created (metadata.creationTimestamp).");

  /** The wide CONTAINERS column of workloads: the pod template's container names. */
  static final Column CONTAINERS = string("Containers", "Names of the containers in the pod template.").wide();

  /** The wide IMAGES column of workloads: the pod template's container images. */
  static final Column IMAGES = string("Images", "Images of the containers in the pod template.").wide();

  static Column string(String name, String description) {
    return new Column(name, "string", "", description, 0);
  }

  static Column integer(String name, String description) {
    return new Column(name, "integer", "", description, 0);
  }

  /** The same column, shown only with {@code -o wide}. */
  Column wide() {
    return new Column(name, type, format, description, 1);
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("name", name).put("type", type).put("format", format).put("description", description)
        .put("priority", priority);
    return json;
  }
}
