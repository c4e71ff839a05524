package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side printing, what makes {@code kubectl get} show Kubernetes' columns: when the
 * Accept header asks for {@code as=Table}, a list, a get or each watch event is answered
 * with a meta.k8s.io Table whose rows hold the cells kube-apiserver computes for the kind
 * (pods: READY, STATUS, RESTARTS...), wide columns included; kubectl hides priority-1
 * columns unless asked for {@code -o wide}. Kinds without a printer of their own get NAME and
 * CREATED AT, as in Kubernetes.
 *
 * <p>A handler asks {@link #tableVersion(String)} with the request's Accept header, reads
 * {@link IncludeObject#fromQuery(String)} from {@code ?includeObject=}, then calls
 * {@link #table} for a list or {@link #objectTable} for a get or a watch event. Tables share
 * the given object nodes: do not change them afterwards.
 */
public final class TablePrinter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final KindPrinter DEFAULT = new DefaultPrinter();

  /** By API group and kind: "/Pod" for the core group, "apps/Deployment". */
  private static final Map<String, KindPrinter> PRINTERS = Map.ofEntries(
      Map.entry("/Pod", new PodPrinter()),
      Map.entry("/Node", new NodePrinter()),
      Map.entry("/Service", new ServicePrinter()),
      Map.entry("/Endpoints", new EndpointsPrinter()),
      Map.entry("/Event", new EventPrinter()),
      Map.entry("/ConfigMap", new ConfigMapPrinter()),
      Map.entry("/Secret", new SecretPrinter()),
      Map.entry("/ServiceAccount", new ServiceAccountPrinter()),
      Map.entry("/Namespace", new NamespacePrinter()),
      Map.entry("apps/Deployment", new DeploymentPrinter()),
      Map.entry("apps/ReplicaSet", new ReplicaSetPrinter()),
      Map.entry("coordination.k8s.io/Lease", new LeasePrinter()),
      Map.entry("discovery.k8s.io/EndpointSlice", new EndpointSlicePrinter()));

  private TablePrinter() {}

  /** Whether the Accept header asks for a Table (meta.k8s.io v1 or v1beta1) before plain JSON. */
  public static boolean wantsTable(String acceptHeader) {
    return tableVersion(acceptHeader).isPresent();
  }

  /** The Table version to answer with, or empty when the client is to get plain JSON. */
  public static Optional<TableVersion> tableVersion(String acceptHeader) {
    return TableMediaType.negotiate(acceptHeader);
  }

  /** The columns of the kind's Table, wide ones (priority 1) included. */
  public static List<Column> columns(ResourceType type) {
    return printerFor(type).columns();
  }

  /** A list as a meta.k8s.io/v1 Table. */
  public static ObjectNode table(ResourceType type, List<ObjectNode> objects, String resourceVersion,
      String continueToken, IncludeObject include, Instant now) {
    return table(TableVersion.V1, type, objects, resourceVersion, continueToken, include, now);
  }

  /**
   * A list as a Table: one row per object, in order. {@code resourceVersion} is the list's
   * (kubectl {@code get -w} watches from it); {@code continueToken} may be null or empty.
   */
  public static ObjectNode table(TableVersion version, ResourceType type, List<ObjectNode> objects,
      String resourceVersion, String continueToken, IncludeObject include, Instant now) {
    KindPrinter printer = printerFor(type);
    ObjectNode table = emptyTable(version, resourceVersion, continueToken);
    table.set("columnDefinitions", columnDefinitions(printer));
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode object : objects) {
      rows.add(row(printer, version, object, include, now));
    }
    return table;
  }

  /**
   * One object as a one-row Table, at the object's resourceVersion: the answer to a get, and
   * the object of each watch event. Kubernetes sends the column definitions with the first
   * event of a watch only ({@code withColumns}); later events carry null, and kubectl keeps
   * the columns it has.
   */
  public static ObjectNode objectTable(TableVersion version, ResourceType type, ObjectNode object,
      boolean withColumns, IncludeObject include, Instant now) {
    KindPrinter printer = printerFor(type);
    String resourceVersion = Cells.text(object.path("metadata").path("resourceVersion"));
    ObjectNode table = emptyTable(version, resourceVersion, null);
    table.set("columnDefinitions", withColumns ? columnDefinitions(printer) : NODES.nullNode());
    table.putArray("rows").add(row(printer, version, object, include, now));
    return table;
  }

  private static KindPrinter printerFor(ResourceType type) {
    return PRINTERS.getOrDefault(type.group() + "/" + type.kind(), DEFAULT);
  }

  private static ObjectNode emptyTable(TableVersion version, String resourceVersion, String continueToken) {
    ObjectNode table = NODES.objectNode();
    table.put("kind", "Table").put("apiVersion", version.apiVersion());
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      metadata.put("resourceVersion", resourceVersion);
    }
    if (continueToken != null && !continueToken.isEmpty()) {
      metadata.put("continue", continueToken);
    }
    return table;
  }

  private static ArrayNode columnDefinitions(KindPrinter printer) {
    ArrayNode columns = NODES.arrayNode();
    printer.columns().forEach(column -> columns.add(column.toJson()));
    return columns;
  }

  private static ObjectNode row(KindPrinter printer, TableVersion version, ObjectNode object, IncludeObject include,
      Instant now) {
    ObjectNode row = NODES.objectNode();
    ArrayNode cells = row.putArray("cells");
    for (Object cell : printer.cells(object, now)) {
      cells.add(cellJson(cell));
    }
    List<KindPrinter.RowCondition> conditions = printer.conditions(object);
    if (!conditions.isEmpty()) {
      ArrayNode json = row.putArray("conditions");
      for (KindPrinter.RowCondition condition : conditions) {
        json.addObject().put("type", condition.type()).put("status", condition.status())
            .put("reason", condition.reason()).put("message", condition.message());
      }
    }
    row.set("object", embedded(version, object, include == null ? IncludeObject.METADATA : include));
    return row;
  }

  private static JsonNode cellJson(Object cell) {
    if (cell instanceof Long number) {
      return NODES.numberNode(number);
    }
    if (cell instanceof Boolean flag) {
      return NODES.booleanNode(flag);
    }
    return NODES.textNode(String.valueOf(cell));
  }

  private static JsonNode embedded(TableVersion version, ObjectNode object, IncludeObject include) {
    return switch (include) {
      case NONE -> NODES.nullNode();
      case OBJECT -> object;
      case METADATA -> {
        ObjectNode partial = NODES.objectNode();
        partial.put("kind", "PartialObjectMetadata").put("apiVersion", version.apiVersion());
        partial.set("metadata", object.path("metadata").isObject() ? object.get("metadata") : NODES.objectNode());
        yield partial;
      }
    };
  }
}
