package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ClusterIPs and NodePorts as a user meets them: allocated by the real apiserver over a real
 * store, never twice, also not after a restart, and shown by the real kubectl.
 */
class ServiceAllocationIT {
  static final String SERVICES = "/api/v1/namespaces/default/services";

  @RegisterExtension
  static final ControlPlane cluster = new ControlPlane();

  static ObjectNode service(String name, String type) {
    ObjectNode service = ApiClient.json.createObjectNode().put("apiVersion", "v1").put("kind", "Service");
    service.putObject("metadata").put("name", name);
    ObjectNode spec = service.putObject("spec").put("type", type);
    spec.putObject("selector").put("app", name);
    spec.putArray("ports").addObject().put("name", "http").put("port", 80).put("targetPort", 8080);
    return service;
  }

  static ObjectNode service(String name, String type, String clusterIP) {
    ObjectNode service = service(name, type);
    service.withObject("spec").put("clusterIP", clusterIP);
    return service;
  }

  static ObjectNode nodePortService(String name, int nodePort) {
    ObjectNode service = service(name, "NodePort");
    ((ObjectNode) service.at("/spec/ports/0")).put("nodePort", nodePort);
    return service;
  }

  static JsonNode create(ObjectNode service) throws Exception {
    ApiClient.Reply created = cluster.api().send("POST", SERVICES, service);
    assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
    return created.body();
  }

  static void assertInvalid(ApiClient.Reply reply, String message) {
    ApiClient.assertStatus(reply, 422, "Invalid");
    assertThat(reply.body().path("message").asText()).isEqualTo(message);
  }

  @Test
  void theKubernetesServiceHasTheFirstAddressAndPointsAtTheApiserver() throws Exception {
    JsonNode kubernetes = cluster.api().get(SERVICES + "/kubernetes").body();
    assertThat(kubernetes.at("/spec/clusterIP").asText()).isEqualTo("10.43.0.1");
    assertThat(kubernetes.at("/spec/ports/0").toString())
        .isEqualTo("{\"name\":\"https\",\"port\":443,\"protocol\":\"TCP\",\"targetPort\":" + cluster.apiserver().port() + "}");
    assertThat(kubernetes.at("/metadata/labels").toString()).isEqualTo("{\"component\":\"apiserver\",\"provider\":\"kubernetes\"}");
    JsonNode endpoints = cluster.api().get("/api/v1/namespaces/default/endpoints/kubernetes").body();
    assertThat(endpoints.at("/subsets/0/addresses/0/ip").asText()).isEqualTo("127.0.0.1");
    assertThat(endpoints.at("/subsets/0/ports/0/port").asInt()).isEqualTo(cluster.apiserver().port());
    JsonNode slice = cluster.api().get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes").body();
    assertThat(slice.at("/metadata/labels/kubernetes.io~1service-name").asText()).isEqualTo("kubernetes");
    assertThat(slice.at("/endpoints/0/addresses/0").asText()).isEqualTo("127.0.0.1");

    Kubectl.Run get = cluster.kubectl().run("get", "svc", "kubernetes");
    assertThat(get.out()).containsPattern("kubernetes\\s+ClusterIP\\s+10\\.43\\.0\\.1\\s+<none>\\s+443/TCP\\s+");
  }

  @Test
  void fiftyServicesCreatedAtOnceGetFiftyDistinctAddressesFromTheRange() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      creates.add(ApiClient.http.sendAsync(HttpRequest.newBuilder(cluster.api().uri("/api/v1/namespaces/kube-system/services"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(service("many-" + i, "ClusterIP").toString())).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    Set<String> addresses = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> create : creates) {
      HttpResponse<String> response = create.join();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      JsonNode spec = ApiClient.json.readTree(response.body()).path("spec");
      assertThat(spec.path("clusterIPs").toString()).isEqualTo("[\"" + spec.path("clusterIP").asText() + "\"]");
      addresses.add(spec.path("clusterIP").asText());
    }
    assertThat(addresses).hasSize(50).allMatch(ip -> ip.matches("10\\.43\\.\\d+\\.\\d+"))
        .doesNotContain("10.43.0.0", "10.43.0.1", "10.43.255.255");
  }

  @Test
  void aChosenAddressIsHonouredOnceAndFreedWhenItsServiceIsDeleted() throws Exception {
    assertThat(create(service("first", "ClusterIP", "10.43.0.20")).at("/spec/clusterIPs").toString())
        .isEqualTo("[\"10.43.0.20\"]");
    assertInvalid(cluster.api().send("POST", SERVICES, service("second", "ClusterIP", "10.43.0.20")),
        "Service \"second\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.43.0.20\"}: "
            + "failed to allocate IP 10.43.0.20: provided IP is already allocated");
    assertInvalid(cluster.api().send("POST", SERVICES, service("elsewhere", "ClusterIP", "10.96.0.20")),
        "Service \"elsewhere\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.20\"}: "
            + "failed to allocate IP 10.96.0.20: provided IP is not in the valid range. The range of valid IPs is "
            + "10.43.0.0/16");

    assertThat(cluster.api().send("DELETE", SERVICES + "/first", null).code()).isEqualTo(200);
    assertThat(create(service("second", "ClusterIP", "10.43.0.20")).at("/spec/clusterIP").asText()).isEqualTo("10.43.0.20");
  }

  @Test
  void headlessAndExternalNameServicesGetNoAddress() throws Exception {
    assertThat(create(service("headless", "ClusterIP", "None")).at("/spec/clusterIPs").toString()).isEqualTo("[\"None\"]");
    ObjectNode external = service("external", "ExternalName");
    external.withObject("spec").put("externalName", "example.com");
    assertThat(create(external).at("/spec").has("clusterIP")).isFalse();
  }

  @Test
  void nodePortsAreAllocatedOnceAndFollowTheServiceType() throws Exception {
    JsonNode web = create(service("np-web", "NodePort"));
    assertThat(web.at("/spec/ports/0/nodePort").asInt()).isBetween(30000, 32767);
    create(nodePortService("np-chosen", 30080));
    assertInvalid(cluster.api().send("POST", SERVICES, nodePortService("np-taken", 30080)),
        "Service \"np-taken\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");

    // Back to ClusterIP: the NodePort goes, and someone else may have it.
    ApiClient.Reply clusterIP = cluster.api().sendRaw("PATCH", SERVICES + "/np-chosen", "application/merge-patch+json",
        "{\"spec\":{\"type\":\"ClusterIP\"}}");
    assertThat(clusterIP.code()).as(clusterIP.body().toString()).isEqualTo(200);
    assertThat(clusterIP.body().at("/spec/ports/0").has("nodePort")).isFalse();
    create(nodePortService("np-taken", 30080));

    // Adding a port allocates one more; removing it gives it back.
    ApiClient.Reply twoPorts = cluster.api().sendRaw("PATCH", SERVICES + "/np-web", "application/json-patch+json",
        "[{\"op\":\"add\",\"path\":\"/spec/ports/-\",\"value\":{\"name\":\"https\",\"port\":443,\"nodePort\":30443}}]");
    assertThat(twoPorts.body().at("/spec/ports/1/nodePort").asInt()).isEqualTo(30443);
    cluster.api().sendRaw("PATCH", SERVICES + "/np-web", "application/json-patch+json", "[{\"op\":\"remove\",\"path\":\"/spec/ports/1\"}]");
    create(nodePortService("np-after", 30443));
  }

  @Test
  void anUpdateOrApplyWithoutTheAllocatedValuesKeepsThem() throws Exception {
    JsonNode created = create(service("kept", "NodePort"));
    ObjectNode resent = service("kept", "NodePort"); // the manifest again: no clusterIP, no nodePort
    resent.withObject("metadata").put("resourceVersion", created.at("/metadata/resourceVersion").asText());
    JsonNode updated = cluster.api().send("PUT", SERVICES + "/kept", resent).body();
    assertThat(updated.at("/spec/clusterIP")).isEqualTo(created.at("/spec/clusterIP"));
    assertThat(updated.at("/spec/ports/0/nodePort")).isEqualTo(created.at("/spec/ports/0/nodePort"));

    Path manifest = cluster.kubectl().file("applied.yaml", """
        apiVersion: v1
        kind: Service
        metadata: {name: applied}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: 8080}]
        """);
    assertThat(cluster.kubectl().run("apply", "-f", manifest.toString()).out()).contains("service/applied created");
    JsonNode first = cluster.api().get(SERVICES + "/applied").body();
    Files.writeString(manifest, Files.readString(manifest).replace("app: web", "app: web2"));
    assertThat(cluster.kubectl().run("apply", "-f", manifest.toString()).out()).contains("service/applied configured");
    JsonNode second = cluster.api().get(SERVICES + "/applied").body();
    assertThat(second.at("/spec/selector/app").asText()).isEqualTo("web2");
    assertThat(second.at("/spec/clusterIP")).isEqualTo(first.at("/spec/clusterIP"));
    assertThat(second.at("/spec/ports/0/nodePort")).isEqualTo(first.at("/spec/ports/0/nodePort"));
  }

  @Test
  void kubectlExposeShowsAClusterIPFromTheRange() throws Exception {
    cluster.api().send("POST", "/apis/apps/v1/namespaces/default/deployments", ApiClient.deployment("exposed", "nginx"));
    assertThat(cluster.kubectl().run("expose", "deployment", "exposed", "--port=80").out()).contains("service/exposed exposed");
    assertThat(cluster.kubectl().run("get", "svc", "exposed").out())
        .containsPattern("exposed\\s+ClusterIP\\s+10\\.43\\.\\d+\\.\\d+\\s+<none>\\s+80/TCP");
  }

  @Test
  void afterARestartNothingHeldBeforeIsHandedOutAgain() throws Exception {
    JsonNode held = create(service("held", "NodePort"));
    String ip = held.at("/spec/clusterIP").asText();
    int nodePort = held.at("/spec/ports/0/nodePort").asInt();

    cluster.restartApiserverOnAnotherPort();

    assertInvalid(cluster.api().send("POST", SERVICES, service("same-ip", "ClusterIP", ip)),
        "Service \"same-ip\" is invalid: spec.clusterIPs: Invalid value: []string{\"" + ip + "\"}: "
            + "failed to allocate IP " + ip + ": provided IP is already allocated");
    assertInvalid(cluster.api().send("POST", SERVICES, nodePortService("same-port", nodePort)),
        "Service \"same-port\" is invalid: spec.ports[0].nodePort: Invalid value: " + nodePort
            + ": provided port is already allocated");
    assertInvalid(cluster.api().send("POST", SERVICES, service("kubernetes-ip", "ClusterIP", "10.43.0.1")),
        "Service \"kubernetes-ip\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.43.0.1\"}: "
            + "failed to allocate IP 10.43.0.1: provided IP is already allocated");
    // The kubernetes Service follows the apiserver to its new port.
    assertThat(cluster.api().get(SERVICES + "/kubernetes").body().at("/spec/ports/0/targetPort").asInt()).isEqualTo(cluster.apiserver().port());
  }
}
