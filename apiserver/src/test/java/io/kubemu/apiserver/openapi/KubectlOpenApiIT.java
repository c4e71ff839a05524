package io.kubemu.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.http.Discovery;
import io.kubemu.apiserver.http.OpenApiEndpoints;
import io.kubemu.apiserver.http.ResourceRequest;
import io.kubemu.apiserver.http.Responses;
import io.kubemu.apiserver.resource.Resources;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl 1.33 against our OpenAPI documents: a small server on 127.0.0.1 serves
 * discovery and /openapi/v3 with the production classes, and stands in for the resource
 * endpoints (objects kept in a map, Strict field validation through {@link OpenApi#unknownFields}).
 *
 * <p>Needs a kubectl 1.33 or newer: the {@code KUBECTL} environment variable, else
 * {@code kubectl} on the PATH; {@code .ci/run} installs one.
 */
class KubectlOpenApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
      spec:
        replicas: 2
        selector:
          matchLabels: {app: web}
        strategy:
          rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
            - name: web
              image: nginx:1.25
              ports: [{containerPort: 80}]
              resources:
                limits: {cpu: 500m, memory: 128Mi}
      """;

  private static String kubectl;
  private static Vertx vertx;
  private static HttpServer server;
  private static final Resources RESOURCES = new Resources();
  private static final OpenApi OPEN_API = new OpenApi(RESOURCES);
  private static final Map<String, ObjectNode> OBJECTS = new ConcurrentHashMap<>();
  private static final List<String> REQUESTS = Collections.synchronizedList(new ArrayList<>());
  private static final Map<String, String> PATCHES = new ConcurrentHashMap<>();

  @TempDir
  Path home;

  @BeforeAll
  static void startServer() {
    Optional<String> found = findKubectl();
    assertTrue(found.isPresent(), "no kubectl 1.33 or newer: set KUBECTL or put one on the PATH (.ci/run installs one)");
    kubectl = found.get();
    vertx = Vertx.vertx();
    Responses responses = new Responses(JSON);
    Discovery discovery = new Discovery(RESOURCES, JSON);
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      REQUESTS.add(ctx.request().method() + " " + ctx.request().uri());
      ctx.next();
    });
    router.route().handler(BodyHandler.create(false));
    router.get("/version").handler(ctx -> responses.send(ctx, 200, discovery.version()));
    router.get("/api").handler(ctx -> responses.send(ctx, 200, discovery.apiVersions()));
    router.get("/apis").handler(ctx -> responses.send(ctx, 200, discovery.apiGroupList()));
    router.get("/api/:version").handler(ctx ->
        responses.send(ctx, 200, discovery.apiResourceList("", ctx.pathParam("version"))));
    router.get("/apis/:group/:version").handler(ctx ->
        responses.send(ctx, 200, discovery.apiResourceList(ctx.pathParam("group"), ctx.pathParam("version"))));
    new OpenApiEndpoints(OPEN_API, responses).mount(router);
    router.route("/api/*").handler(ctx -> serveObjects(ctx, responses));
    router.route("/apis/*").handler(ctx -> serveObjects(ctx, responses));
    router.route().handler(ctx -> responses.fail(ctx, new ApiException(404, "NotFound",
        "the server could not find the requested resource", null, null, List.of())));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stopServer() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @BeforeEach
  void forgetObjects() {
    OBJECTS.clear();
    REQUESTS.clear();
    PATCHES.clear();
  }

  @Test
  void applyWithClientDryRunValidatesAgainstTheServersOpenApi() throws Exception {
    Result result = kubectl("apply", "--dry-run=client", "-f", write("deployment.yaml", DEPLOYMENT));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("deployment.apps/web created (dry run)");
    assertThat(REQUESTS).anyMatch(request -> request.startsWith("GET /openapi/v3?"))
        .anyMatch(request -> request.startsWith("GET /openapi/v3/apis/apps/v1?hash="
            + OPEN_API.hash("apis/apps/v1").orElseThrow()));
  }

  @Test
  void applyCreatesWithStrictFieldValidationBecauseTheServerDeclaresIt() throws Exception {
    Result result = kubectl("apply", "-f", write("deployment.yaml", DEPLOYMENT));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("deployment.apps/web created");
    assertThat(REQUESTS).anyMatch(request -> request.startsWith("POST /apis/apps/v1/namespaces/default/deployments?")
        && request.contains("fieldValidation=Strict") && request.contains("fieldManager=kubectl-client-side-apply"));
  }

  @Test
  void applyOfAnUnknownFieldIsRefusedWithKubectlsUnknownFieldMessage() throws Exception {
    String misspelt = DEPLOYMENT.replace("replicas: 2", "replicaz: 2").replace("image: nginx:1.25",
        "image: nginx:1.25\n        imagePullPolicyy: Always");

    Result result = kubectl("apply", "--dry-run=server", "-f", write("misspelt.yaml", misspelt));

    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.stderr()).contains("Error from server (BadRequest)")
        .contains("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: "
            + "unknown field \"spec.replicaz\", unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"");
    assertThat(REQUESTS).anyMatch(request -> request.startsWith("POST /apis/apps/v1/namespaces/default/deployments?")
        && request.contains("dryRun=All") && request.contains("fieldValidation=Strict"));
    assertThat(OBJECTS).isEmpty();
  }

  /**
   * As against Kubernetes: once the server declares fieldValidation, kubectl validates nothing
   * itself (its own check needs OpenAPI v2) and a client dry run, which sends no object,
   * reports no unknown field.
   */
  @Test
  void clientDryRunLeavesUnknownFieldsToTheServer() throws Exception {
    String misspelt = DEPLOYMENT.replace("replicas: 2", "replicaz: 2");

    Result result = kubectl("apply", "--dry-run=client", "-f", write("misspelt.yaml", misspelt));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(REQUESTS).noneMatch(request -> request.startsWith("GET /openapi/v2"));
  }

  @Test
  void applyToAnExistingDeploymentSendsAStrategicMergePatchKeyedByContainerName() throws Exception {
    assertThat(kubectl("apply", "-f", write("deployment.yaml", DEPLOYMENT)).exitCode()).isZero();

    Result result = kubectl("apply", "-v=5", "-f",
        write("updated.yaml", DEPLOYMENT.replace("nginx:1.25", "nginx:1.27")));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("deployment.apps/web configured");
    // kubectl computed the patch from our schemas, not from its compiled-in types: it says so when it falls back.
    assertThat(result.stderr()).doesNotContain("OpenAPI V3", "error calculating patch from openapi");
    assertThat(REQUESTS).anyMatch(request -> request.startsWith("PATCH /apis/apps/v1/namespaces/default/deployments/web?")
        && request.contains("fieldValidation=Strict"));
    JsonNode patch = JSON.readTree(PATCHES.get("application/strategic-merge-patch+json"));
    assertThat(patch.at("/spec/template/spec/$setElementOrder~1containers"))
        .isEqualTo(JSON.readTree("[{\"name\":\"web\"}]"));
    assertThat(patch.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
  }

  @Test
  void explainPrintsTheFieldsOfADeploymentSpec() throws Exception {
    Result result = kubectl("explain", "deployment.spec");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("GROUP:      apps", "KIND:       Deployment", "VERSION:    v1")
        .contains("FIELD: spec <DeploymentSpec>")
        .containsPattern("replicas\\s+<integer>")
        .containsPattern("template\\s+<PodTemplateSpec> -required-")
        .containsPattern("selector\\s+<LabelSelector> -required-")
        .containsPattern("strategy\\s+<DeploymentStrategy>")
        .contains("How many pods to run.");

    Result containers = kubectl("explain", "deployment.spec.template.spec.containers.resources.limits");
    assertThat(containers.exitCode()).as(containers.toString()).isZero();
    assertThat(containers.stdout()).contains("FIELD: limits <map[string]Quantity>");
    Result maxSurge = kubectl("explain", "deployment.spec.strategy.rollingUpdate.maxSurge");
    assertThat(maxSurge.stdout()).contains("FIELD: maxSurge <IntOrString>");
  }

  /** The resource endpoints kubectl apply touches, over a map: GET, POST with Strict validation, PATCH. */
  private static void serveObjects(RoutingContext ctx, Responses responses) {
    try {
      ResourceRequest request = ResourceRequest.parse(RESOURCES, ctx.request().path());
      String namespace = request.namespace() == null ? "" : request.namespace();
      switch (ctx.request().method().name()) {
        case "GET" -> {
          ObjectNode object = OBJECTS.get(namespace + "/" + request.name());
          if (object == null) {
            throw ApiException.notFound(request.type(), request.name());
          }
          responses.send(ctx, 200, object);
        }
        case "POST" -> {
          ObjectNode object = (ObjectNode) JSON.readTree(ctx.body().asString());
          if ("Strict".equals(ctx.request().getParam("fieldValidation"))) {
            List<String> unknown = OPEN_API.unknownFields(request.type().apiVersion(), request.type().kind(), object);
            if (!unknown.isEmpty()) {
              throw ApiException.badRequest(
                  OpenApi.strictDecodingError(request.type().kind(), request.type().version(), unknown));
            }
          }
          ObjectNode metadata = (ObjectNode) object.get("metadata");
          metadata.put("namespace", namespace).put("uid", "uid-" + metadata.get("name").asText())
              .put("resourceVersion", "1").put("creationTimestamp", "2026-01-01T00:00:00Z");
          if (!"All".equals(ctx.request().getParam("dryRun"))) {
            OBJECTS.put(namespace + "/" + metadata.get("name").asText(), object);
          }
          responses.send(ctx, 201, object);
        }
        case "PATCH" -> {
          PATCHES.put(ctx.request().getHeader("Content-Type"), ctx.body().asString());
          responses.send(ctx, 200, OBJECTS.get(namespace + "/" + request.name()));
        }
        default -> throw ApiException.methodNotAllowed(ctx.request().method() + " is not served by this test");
      }
    } catch (Exception e) {
      responses.fail(ctx, e);
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(kubectl, "--server=http://127.0.0.1:" + server.actualPort(),
        "--cache-dir=" + home.resolve("cache"), "--namespace=default"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(home.resolve("stdout").toFile())
        .redirectError(home.resolve("stderr").toFile());
    builder.environment().put("HOME", home.toString());
    builder.environment().put("KUBECONFIG", home.resolve("no-kubeconfig").toString());
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(process.exitValue(), Files.readString(home.resolve("stdout")), Files.readString(home.resolve("stderr")));
  }

  private String write(String name, String content) throws IOException {
    Path file = home.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file.toString();
  }

  /** A kubectl of client version 1.33 or newer: $KUBECTL, else the first kubectl on the PATH. */
  private static Optional<String> findKubectl() {
    List<String> candidates = new ArrayList<>();
    Optional.ofNullable(System.getenv("KUBECTL")).ifPresent(candidates::add);
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      candidates.add(Path.of(dir, "kubectl").toString());
    }
    for (String candidate : candidates) {
      if (!Files.isExecutable(Path.of(candidate))) {
        continue;
      }
      try {
        Process process = new ProcessBuilder(candidate, "version", "--client", "-o", "json")
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
          JsonNode version = JSON.readTree(output).path("clientVersion");
          int minor = Integer.parseInt(version.path("minor").asText("0").replaceAll("\\D", ""));
          if (version.path("major").asText().equals("1") && minor >= 33) {
            return Optional.of(candidate);
          }
        }
      } catch (IOException | InterruptedException | NumberFormatException e) {
        // not a usable kubectl; try the next
      }
    }
    return Optional.empty();
  }
}
