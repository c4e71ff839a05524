package io.kubemu.apiserver.table;

import static io.kubemu.apiserver.table.TableFixtures.NOW;
import static io.kubemu.apiserver.table.TableFixtures.RESOURCES;
import static io.kubemu.apiserver.table.TableFixtures.object;
import static io.kubemu.apiserver.table.TableFixtures.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Table kubectl receives: its envelope, column definitions, and what each row carries. */
class TablePrinterTest {
  private static final ObjectNode CONFIG = object("""
      {"kind":"ConfigMap","apiVersion":"v1",
       "metadata":{"name":"settings","namespace":"default","uid":"u-1","resourceVersion":"17",
        "creationTimestamp":"2025-06-01T11:59:00Z","labels":{"app":"web"}},
       "data":{"mode":"fast"}}""");

  @Test
  void aListBecomesAMetaV1TableAtTheListsResourceVersion() {
    ObjectNode table = TablePrinter.table(type("configmaps"), List.of(CONFIG), "42", "next-page",
        IncludeObject.METADATA, NOW);

    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("42");
    assertThat(table.path("metadata").path("continue").asText()).isEqualTo("next-page");
    assertThat(table.path("rows")).hasSize(1);
    assertThat(table.at("/rows/0/cells").toString()).isEqualTo("[\"settings\",1,\"60s\"]");
  }

  @Test
  void theFieldsComeInKubernetesOrder() {
    ObjectNode table = TablePrinter.table(type("configmaps"), List.of(CONFIG), "42", "", IncludeObject.NONE, NOW);

    assertThat(table.fieldNames()).toIterable()
        .containsExactly("kind", "apiVersion", "metadata", "columnDefinitions", "rows");
    assertThat(table.at("/columnDefinitions/0").fieldNames()).toIterable()
        .containsExactly("name", "type", "format", "description", "priority");
    assertThat(table.at("/rows/0").fieldNames()).toIterable().containsExactly("cells", "object");
  }

  @Test
  void anEmptyContinueTokenIsLeftOut() {
    assertThat(TablePrinter.table(type("configmaps"), List.of(), "42", "", IncludeObject.METADATA, NOW)
        .path("metadata").has("continue")).isFalse();
    assertThat(TablePrinter.table(type("configmaps"), List.of(), "42", null, IncludeObject.METADATA, NOW)
        .path("metadata").has("continue")).isFalse();
  }

  @Test
  void anEmptyListStillDescribesItsColumns() {
    ObjectNode table = TablePrinter.table(type("pods"), List.of(), "7", null, IncludeObject.METADATA, NOW);

    assertThat(table.path("rows").isArray()).isTrue();
    assertThat(table.path("rows")).isEmpty();
    assertThat(table.path("columnDefinitions")).hasSize(9);
  }

  @Test
  void theNameColumnIsMarkedAsNameAndWideColumnsHavePriorityOne() {
    JsonNode columns = TablePrinter.table(type("pods"), List.of(), "7", null, IncludeObject.METADATA, NOW)
        .path("columnDefinitions");

    assertThat(columns.path(0).path("name").asText()).isEqualTo("Name");
    assertThat(columns.path(0).path("type").asText()).isEqualTo("string");
    assertThat(columns.path(0).path("format").asText()).isEqualTo("name");
    assertThat(columns.path(0).path("priority").asInt()).isZero();
    assertThat(columns.path(0).path("description").asText()).isNotBlank();
    assertThat(columns.path(1).path("format").asText()).isEmpty();
    assertThat(columns.path(5).path("name").asText()).isEqualTo("IP");
    assertThat(columns.path(5).path("priority").asInt()).isEqualTo(1);
  }

  @Test
  void integerColumnsCarryNumbers() {
    List<Column> columns = TablePrinter.columns(type("replicasets"));

    assertThat(columns.stream().map(Column::type).toList())
        .containsExactly("string", "integer", "integer", "integer", "string", "string", "string", "string");
  }

  @Test
  void byDefaultEachRowCarriesTheObjectsMetadataAsPartialObjectMetadata() {
    JsonNode embedded = TablePrinter.table(type("configmaps"), List.of(CONFIG), "42", null, IncludeObject.METADATA,
        NOW).at("/rows/0/object");

    assertThat(embedded.path("kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(embedded.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(embedded.path("metadata")).isEqualTo(CONFIG.path("metadata"));
    assertThat(embedded.has("data")).isFalse();
  }

  @Test
  void includeObjectObjectCarriesTheWholeObjectAndNoneCarriesNull() {
    JsonNode whole = TablePrinter.table(type("configmaps"), List.of(CONFIG), "42", null, IncludeObject.OBJECT, NOW)
        .at("/rows/0/object");
    JsonNode none = TablePrinter.table(type("configmaps"), List.of(CONFIG), "42", null, IncludeObject.NONE, NOW)
        .at("/rows/0/object");

    assertThat(whole).isEqualTo(CONFIG);
    assertThat(none.isNull()).isTrue();
  }

  @Test
  void aV1beta1TableSaysSoInItsRowsToo() {
    ObjectNode table = TablePrinter.table(TableVersion.V1BETA1, type("configmaps"), List.of(CONFIG), "42", null,
        IncludeObject.METADATA, NOW);

    assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
    assertThat(table.at("/rows/0/object/apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
  }

  @Test
  void aSingleObjectTableIsAtTheObjectsResourceVersion() {
    ObjectNode table = TablePrinter.objectTable(TableVersion.V1, type("configmaps"), CONFIG, true,
        IncludeObject.METADATA, NOW);

    assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("17");
    assertThat(table.path("columnDefinitions")).hasSize(3);
    assertThat(table.path("rows")).hasSize(1);
    assertThat(table.at("/rows/0/cells/0").asText()).isEqualTo("settings");
  }

  @Test
  void watchEventsAfterTheFirstLeaveTheColumnsOut() {
    ObjectNode later = TablePrinter.objectTable(TableVersion.V1, type("configmaps"), CONFIG, false,
        IncludeObject.METADATA, NOW);

    assertThat(later.has("columnDefinitions")).isTrue();
    assertThat(later.path("columnDefinitions").isNull()).isTrue();
    assertThat(later.at("/rows/0/cells/0").asText()).isEqualTo("settings");
  }

  @Test
  void aKindWithoutItsOwnPrinterShowsNameAndCreationDate() {
    ResourceType jobs = new ResourceType("batch", "v1", "jobs", "job", "Job", true, List.of(), List.of(), List.of());
    ObjectNode job = object("{\"metadata\":{\"name\":\"backup\",\"creationTimestamp\":\"2025-05-30T08:15:00Z\"}}");

    ObjectNode table = TablePrinter.table(jobs, List.of(job), "3", null, IncludeObject.NONE, NOW);

    assertThat(table.at("/columnDefinitions/1/name").asText()).isEqualTo("Created At");
    assertThat(table.at("/columnDefinitions/1/type").asText()).isEqualTo("date");
    assertThat(table.at("/rows/0/cells").toString()).isEqualTo("[\"backup\",\"2025-05-30T08:15:00Z\"]");
  }

  @Test
  void everyServedKindPrintsACellForEveryColumnEvenFromABareObject() {
    ObjectNode bare = object("{\"metadata\":{\"name\":\"x\"}}");
    for (ResourceType type : RESOURCES.all()) {
      ObjectNode table = TablePrinter.table(type, List.of(bare), "1", null, IncludeObject.METADATA, NOW);

      assertThat(table.at("/rows/0/cells")).as(type.resource()).hasSameSizeAs(table.path("columnDefinitions"));
      assertThat(table.at("/rows/0/cells").toString()).as(type.resource()).contains("\"x\"");
      assertThat(table.path("columnDefinitions").findValuesAsText("format")).as(type.resource()).contains("name");
    }
  }
}
