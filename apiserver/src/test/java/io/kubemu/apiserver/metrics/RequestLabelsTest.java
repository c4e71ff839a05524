package io.kubemu.apiserver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.apiserver.http.ResourceRequest;
import io.kubemu.apiserver.resource.Resources;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** The labels kube-apiserver gives each request in apiserver_request_total, for the same requests. */
class RequestLabelsTest {
  private final Resources resources = new Resources();

  private RequestLabels labels(HttpMethod method, String path) {
    return labels(method, path, false, null);
  }

  private RequestLabels labels(HttpMethod method, String path, boolean watch, String contentType) {
    return RequestLabels.of(method, ResourceRequest.parse(resources, path), watch, contentType);
  }

  @Test
  void getOfOneObjectIsGetInResourceScope() {
    assertThat(labels(HttpMethod.GET, "/api/v1/namespaces/default/pods/web"))
        .isEqualTo(new RequestLabels("GET", "", "v1", "pods", "", "resource"));
  }

  @Test
  void getOfACollectionIsListInItsNamespaceOrCluster() {
    assertThat(labels(HttpMethod.GET, "/api/v1/namespaces/default/pods"))
        .isEqualTo(new RequestLabels("LIST", "", "v1", "pods", "", "namespace"));
    assertThat(labels(HttpMethod.GET, "/apis/apps/v1/deployments"))
        .isEqualTo(new RequestLabels("LIST", "apps", "v1", "deployments", "", "cluster"));
    assertThat(labels(HttpMethod.GET, "/api/v1/nodes"))
        .isEqualTo(new RequestLabels("LIST", "", "v1", "nodes", "", "cluster"));
  }

  @Test
  void aWatchIsWatchAndLongRunning() {
    RequestLabels watch = labels(HttpMethod.GET, "/api/v1/namespaces/default/pods", true, null);
    assertThat(watch).isEqualTo(new RequestLabels("WATCH", "", "v1", "pods", "", "namespace"));
    assertThat(watch.longRunning()).isTrue();
    assertThat(labels(HttpMethod.GET, "/api/v1/namespaces/default/pods").longRunning()).isFalse();
  }

  @Test
  void createIsPostInResourceScopeAsKubernetesCountsIt() {
    assertThat(labels(HttpMethod.POST, "/api/v1/namespaces/default/pods"))
        .isEqualTo(new RequestLabels("POST", "", "v1", "pods", "", "resource"));
    assertThat(labels(HttpMethod.POST, "/api/v1/namespaces"))
        .isEqualTo(new RequestLabels("POST", "", "v1", "namespaces", "", "resource"));
  }

  @Test
  void updatesPatchesAndDeletesKeepTheirMethodAndSubresource() {
    assertThat(labels(HttpMethod.PUT, "/apis/apps/v1/namespaces/default/deployments/web/status"))
        .isEqualTo(new RequestLabels("PUT", "apps", "v1", "deployments", "status", "resource"));
    assertThat(labels(HttpMethod.PATCH, "/apis/apps/v1/namespaces/default/deployments/web/scale", false,
        "application/merge-patch+json"))
        .isEqualTo(new RequestLabels("PATCH", "apps", "v1", "deployments", "scale", "resource"));
    assertThat(labels(HttpMethod.DELETE, "/api/v1/namespaces/default/pods/web"))
        .isEqualTo(new RequestLabels("DELETE", "", "v1", "pods", "", "resource"));
    assertThat(labels(HttpMethod.DELETE, "/api/v1/namespaces/default/pods").verb()).isEqualTo("DELETE");
  }

  @Test
  void aServerSideApplyPatchIsApply() {
    assertThat(labels(HttpMethod.PATCH, "/api/v1/namespaces/default/configmaps/c", false,
        "application/apply-patch+yaml; charset=utf-8").verb()).isEqualTo("APPLY");
    assertThat(labels(HttpMethod.PATCH, "/api/v1/namespaces/default/configmaps/c", false,
        "application/strategic-merge-patch+json").verb()).isEqualTo("PATCH");
  }

  @Test
  void logsAreConnectAndLongRunning() {
    RequestLabels logs = labels(HttpMethod.GET, "/api/v1/namespaces/default/pods/web/log");
    assertThat(logs).isEqualTo(new RequestLabels("CONNECT", "", "v1", "pods", "log", "resource"));
    assertThat(logs.longRunning()).isTrue();
  }

  @Test
  void aHeadIsCountedAsAGetAndUnusualMethodsAsOther() {
    assertThat(labels(HttpMethod.HEAD, "/api/v1/namespaces/default/pods/web").verb()).isEqualTo("GET");
    assertThat(labels(HttpMethod.OPTIONS, "/api/v1/namespaces/default/pods").verb()).isEqualTo("other");
  }

  @Test
  void aNamespaceItselfIsInResourceScope() {
    assertThat(labels(HttpMethod.GET, "/api/v1/namespaces/default"))
        .isEqualTo(new RequestLabels("GET", "", "v1", "namespaces", "", "resource"));
    assertThat(labels(HttpMethod.PUT, "/api/v1/namespaces/default/finalize"))
        .isEqualTo(new RequestLabels("PUT", "", "v1", "namespaces", "finalize", "resource"));
  }
}
