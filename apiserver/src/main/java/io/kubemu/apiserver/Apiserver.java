package io.kubemu.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.admission.Admission;
import io.kubemu.apiserver.allocation.PortRange;
import io.kubemu.apiserver.allocation.ServiceAllocation;
import io.kubemu.apiserver.allocation.ServiceIPRange;
import io.kubemu.apiserver.controlplane.AdvertiseAddress;
import io.kubemu.apiserver.controlplane.KubernetesService;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.http.Bodies;
import io.kubemu.apiserver.http.Discovery;
import io.kubemu.apiserver.http.FieldValidation;
import io.kubemu.apiserver.http.ObjectDeleter;
import io.kubemu.apiserver.http.OpenApiEndpoints;
import io.kubemu.apiserver.http.ResourceHandler;
import io.kubemu.apiserver.http.Responses;
import io.kubemu.apiserver.http.WatchStreams;
import io.kubemu.apiserver.metrics.ApiserverMetrics;
import io.kubemu.apiserver.openapi.OpenApi;
import io.kubemu.apiserver.pod.BindingREST;
import io.kubemu.apiserver.pod.EvictionREST;
import io.kubemu.apiserver.pod.LogREST;
import io.kubemu.apiserver.pod.PodSubresources;
import io.kubemu.apiserver.resource.CreateStrategy;
import io.kubemu.apiserver.resource.ObjectMeta;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.resource.Resources;
import io.kubemu.apiserver.storage.Compactor;
import io.kubemu.apiserver.storage.ObjectStore;
import io.kubemu.apiserver.watch.Cacher;
import io.kubemu.component.HostPort;
import io.kubemu.etcd.client.KvClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kube-apiserver of kubemu: the Kubernetes REST API over the store, and the only
 * process that talks to it. Every other component, and kubectl, talks to this.
 */
public final class Apiserver implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Apiserver.class);
  /** Namespaces every cluster has from the start. */
  static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
  static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

  private final Config config;
  private final ObjectMapper json = new ObjectMapper();
  private final Resources resources = new Resources();
  private final Admission admission;
  private final Map<ResourceType, Cacher> cachers = new LinkedHashMap<>();
  private KvClient kv;
  private Compactor compactor;
  private Vertx vertx;
  private HttpServer server;

  /**
   * @param eventTtl how long Events live (kube-apiserver's --event-ttl)
   * @param compactionInterval how often the store is compacted (--etcd-compaction-interval; 0: never)
   * @param advertiseAddress the address the {@code kubernetes} Service's endpoint names (--advertise-address;
   *     "": chosen from the bind address, see {@link AdvertiseAddress})
   * @param serviceClusterIPRange where ClusterIPs come from (--service-cluster-ip-range)
   * @param serviceNodePortRange where NodePorts come from (--service-node-port-range)
   * @param kubeletTimeout how long connecting to a kubelet may take, e.g. for pods/log (--kubelet-timeout)
   * @param defaultNotReadyTolerationSeconds how long pods tolerate their node's not-ready:NoExecute taint unless
   *     they say (--default-not-ready-toleration-seconds)
   * @param defaultUnreachableTolerationSeconds the same for the unreachable:NoExecute taint
   *     (--default-unreachable-toleration-seconds)
   */
  public record Config(List<HostPort> etcdServers, String bindAddress, int port, Duration eventTtl,
      Duration compactionInterval, String advertiseAddress, ServiceIPRange serviceClusterIPRange,
      PortRange serviceNodePortRange, Duration kubeletTimeout, long defaultNotReadyTolerationSeconds,
      long defaultUnreachableTolerationSeconds) {
    public static final ServiceIPRange DEFAULT_SERVICE_CLUSTER_IP_RANGE = ServiceIPRange.parse("10.43.0.0/16");
    public static final PortRange DEFAULT_SERVICE_NODE_PORT_RANGE = PortRange.parse("30000-32767");
    public static final Duration DEFAULT_KUBELET_TIMEOUT = Duration.ofSeconds(5);

    public Config(List<HostPort> etcdServers, String bindAddress, int port) {
      this(etcdServers, bindAddress, port, Duration.ofHours(1), Duration.ofMinutes(5));
    }

    public Config(List<HostPort> etcdServers, String bindAddress, int port, Duration eventTtl,
        Duration compactionInterval) {
      this(etcdServers, bindAddress, port, eventTtl, compactionInterval, "", DEFAULT_SERVICE_CLUSTER_IP_RANGE,
          DEFAULT_SERVICE_NODE_PORT_RANGE, DEFAULT_KUBELET_TIMEOUT);
    }

    public Config(List<HostPort> etcdServers, String bindAddress, int port, Duration eventTtl,
        Duration compactionInterval, String advertiseAddress, ServiceIPRange serviceClusterIPRange,
        PortRange serviceNodePortRange, Duration kubeletTimeout) {
      this(etcdServers, bindAddress, port, eventTtl, compactionInterval, advertiseAddress, serviceClusterIPRange,
          serviceNodePortRange, kubeletTimeout, Admission.DEFAULT_TOLERATION_SECONDS,
          Admission.DEFAULT_TOLERATION_SECONDS);
    }
  }

  public Apiserver(Config config) {
    this.config = config;
    this.admission = new Admission(config.defaultNotReadyTolerationSeconds(),
        config.defaultUnreachableTolerationSeconds());
  }

  public Apiserver start() throws IOException {
    kv = KvClient.connect(config.etcdServers(), Duration.ofSeconds(60));
    ObjectStore store = new ObjectStore(kv, json, Map.of("Event", config.eventTtl()));
    compactor = new Compactor(kv).start(config.compactionInterval());
    List<CompletableFuture<Void>> caches = new ArrayList<>();
    for (ResourceType type : resources.all()) {
      if (!Cacher.cached(type)) {
        continue;
      }
      Cacher cacher = new Cacher(type, store);
      cachers.put(type, cacher);
      caches.add(cacher.start());
    }
    createSystemNamespaces(store);
    ServiceAllocation serviceAllocation = new ServiceAllocation(config.serviceClusterIPRange(),
        config.serviceNodePortRange());
    // Before serving: what the stored Services hold is taken (kube-apiserver's repair controllers).
    serviceAllocation.repair(store.list(type("", "services"), null, 0).join().items());
    CompletableFuture.allOf(caches.toArray(CompletableFuture[]::new)).join();

    vertx = Vertx.vertx();
    Responses responses = new Responses(json);
    Discovery discovery = new Discovery(resources, json);
    Bodies bodies = new Bodies(json);
    WatchStreams watches = new WatchStreams(json, responses);
    OpenApi openApi = new OpenApi(resources);
    ObjectDeleter deleter = new ObjectDeleter(store, json, serviceAllocation);
    ApiserverMetrics metrics = new ApiserverMetrics(cachers.values());
    ResourceHandler handler = new ResourceHandler(resources, store, cachers, bodies, responses, watches, json,
        new FieldValidation(openApi), admission, deleter, serviceAllocation, metrics.requests());
    ResourceType pods = type("", "pods");
    HttpClient kubelets = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(
        (int) config.kubeletTimeout().toMillis()));
    PodSubresources podSubresources = new PodSubresources(new BindingREST(store, cachers.get(pods)),
        new EvictionREST(store, deleter, pods),
        new LogREST(store, pods, type("", "nodes"), kubelets, responses), bodies, responses, metrics.requests(), pods);

    Router router = Router.router(vertx);
    // Only requests that carry a body are read whole: a GET may still become a WebSocket watch.
    router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.get("/version").handler(ctx -> responses.send(ctx, 200, discovery.version()));
    for (String health : List.of("/healthz", "/livez", "/readyz")) {
      router.get(health).handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain").end("ok"));
    }
    router.get("/api").handler(ctx -> responses.send(ctx, 200, discovery.apiVersions()));
    router.get("/apis").handler(ctx -> responses.send(ctx, 200, discovery.apiGroupList()));
    router.get("/api/:version").handler(ctx -> sendResourceList(ctx, discovery, responses, "", ctx.pathParam("version")));
    router.get("/apis/:group/:version").handler(ctx ->
        sendResourceList(ctx, discovery, responses, ctx.pathParam("group"), ctx.pathParam("version")));
    router.get("/metrics").handler(metrics.endpoint());
    new OpenApiEndpoints(openApi, responses).mount(router);
    podSubresources.mount(router);
    router.route("/api/*").handler(handler);
    router.route("/apis/*").handler(handler);
    router.route().handler(ctx -> responses.fail(ctx, new ApiException(404, "NotFound",
        "the server could not find the requested resource", null, null, List.of())));
    router.errorHandler(413, ctx -> responses.fail(ctx, ApiException.tooLarge(
        "the request body is larger than " + MAX_BODY_BYTES + " bytes")));

    server = vertx.createHttpServer()
        .requestHandler(router)
        .listen(config.port(), config.bindAddress())
        .await();
    LOG.info("apiserver serving on {}:{} with the store at {}", config.bindAddress(), server.actualPort(),
        config.etcdServers());
    new KubernetesService(resources, store, serviceAllocation, json)
        .reconcile(AdvertiseAddress.choose(config.advertiseAddress(), config.bindAddress()), server.actualPort());
    return this;
  }

  public int port() {
    return server.actualPort();
  }

  private static void sendResourceList(io.vertx.ext.web.RoutingContext ctx, Discovery discovery, Responses responses,
      String group, String version) {
    ObjectNode list = discovery.apiResourceList(group, version);
    if (list == null) {
      responses.fail(ctx, new ApiException(404, "NotFound", "the server could not find the requested resource",
          null, null, List.of()));
    } else {
      responses.send(ctx, 200, list);
    }
  }

  private ResourceType type(String group, String resource) {
    return resources.find(group, "v1", resource).orElseThrow();
  }

  private void createSystemNamespaces(ObjectStore store) {
    ResourceType namespaces = type("", "namespaces");
    for (String name : SYSTEM_NAMESPACES) {
      ObjectNode namespace = json.createObjectNode();
      namespace.putObject("metadata").put("name", name);
      ObjectMeta.prepareForCreate(namespaces, null, namespace);
      admission.admit(namespaces, namespace, null);
      CreateStrategy.prepare(namespaces, namespace);
      store.create(namespaces, null, name, namespace).exceptionally(error -> null).join();
    }
  }

  @Override
  public void close() throws IOException {
    if (compactor != null) {
      compactor.close();
    }
    cachers.values().forEach(Cacher::close);
    if (server != null) {
      server.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (kv != null) {
      kv.close();
    }
  }
}
