package io.kubemu.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubemu.apiserver.http.ApiException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a request wants a Table, in which version, and what its rows should carry. */
class TableNegotiationTest {
  private static final String KUBECTL_GET = "application/json;as=Table;v=v1;g=meta.k8s.io,"
      + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

  @Test
  void kubectlGetWantsAMetaV1Table() {
    assertThat(TablePrinter.wantsTable(KUBECTL_GET)).isTrue();
    assertThat(TablePrinter.tableVersion(KUBECTL_GET)).contains(TableVersion.V1);
  }

  @Test
  void aClientThatOnlyKnowsV1beta1GetsV1beta1() {
    assertThat(TablePrinter.tableVersion("application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json"))
        .contains(TableVersion.V1BETA1);
  }

  @Test
  void plainJsonOrNoAcceptHeaderWantsNoTable() {
    assertThat(TablePrinter.wantsTable("application/json")).isFalse();
    assertThat(TablePrinter.wantsTable("*/*")).isFalse();
    assertThat(TablePrinter.wantsTable("")).isFalse();
    assertThat(TablePrinter.wantsTable(null)).isFalse();
  }

  @Test
  void anUnknownTableVersionIsSkippedForTheNextChoice() {
    assertThat(TablePrinter.tableVersion("application/json;as=Table;v=v2;g=meta.k8s.io,application/json"))
        .isEqualTo(Optional.empty());
    assertThat(TablePrinter.tableVersion(
        "application/json;as=Table;v=v2;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io"))
        .contains(TableVersion.V1BETA1);
    assertThat(TablePrinter.wantsTable("application/json;as=Table;v=v1;g=example.com")).isFalse();
  }

  @Test
  void aHigherQualityWinsOverOrder() {
    assertThat(TablePrinter.wantsTable("application/json;q=0.5,application/json;as=Table;v=v1;g=meta.k8s.io"))
        .isTrue();
    assertThat(TablePrinter.wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5,application/json"))
        .isFalse();
  }

  @Test
  void anyTypeAndOtherFormatsAreReadLikeKubernetes() {
    assertThat(TablePrinter.tableVersion("*/*;as=Table;v=v1;g=meta.k8s.io")).contains(TableVersion.V1);
    assertThat(TablePrinter.tableVersion("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,"
        + "application/json;as=Table;v=v1beta1;g=meta.k8s.io")).contains(TableVersion.V1BETA1);
  }

  @Test
  void askingForPartialObjectMetadataIsNotATable() {
    assertThat(TablePrinter.wantsTable("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,"
        + "application/json;as=Table;v=v1;g=meta.k8s.io")).isFalse();
  }

  @Test
  void rowsCarryMetadataUnlessTheQueryAsksOtherwise() {
    assertThat(IncludeObject.fromQuery(null)).isEqualTo(IncludeObject.METADATA);
    assertThat(IncludeObject.fromQuery("")).isEqualTo(IncludeObject.METADATA);
    assertThat(IncludeObject.fromQuery("None")).isEqualTo(IncludeObject.NONE);
    assertThat(IncludeObject.fromQuery("Metadata")).isEqualTo(IncludeObject.METADATA);
    assertThat(IncludeObject.fromQuery("Object")).isEqualTo(IncludeObject.OBJECT);
  }

  @Test
  void anUnknownIncludeObjectValueIsABadRequest() {
    assertThatThrownBy(() -> IncludeObject.fromQuery("object"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("unrecognized includeObject value: \"object\"");
  }
}
