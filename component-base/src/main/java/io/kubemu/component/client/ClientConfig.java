package io.kubemu.component.client;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import io.kubemu.component.Version;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a component reaches the apiserver, as Kubernetes components are told: a server URL
 * ({@code --master}, which kubemu also calls {@code --server}) and/or a kubeconfig file, and the
 * client-side rate limit every Kubernetes client applies to itself ({@code --kube-api-qps},
 * {@code --kube-api-burst}).
 *
 * @param server the apiserver's URL, e.g. {@code http://127.0.0.1:8080}; overrides the kubeconfig's
 * @param kubeconfig a kubeconfig file (its current context), or null
 * @param qps requests per second on average, as client-go's token bucket; 0 or less: unlimited
 * @param burst requests allowed at once above the average
 */
public record ClientConfig(String server, Path kubeconfig, double qps, int burst) {
  /** How long an ordinary request may take; watches are long-running and not bound by it. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The kinds a watch event from kubemu's apiserver may carry: the kinds it serves (the apiserver's
   * {@code Resources}; a kind served there belongs here too), and Status (an expired watch's error). fabric8 reads a watch event's object by its kind, and left to itself it
   * learns the kinds by loading, instantiating and reading the annotations of every kind in every
   * model jar on the class path (Gateway API's, DRA's, ...) the first time it reads one: some 340
   * classes, and the many more their annotations name, in every component. A kind not listed here
   * still works: its events are read generically, then converted to the watched type.
   */
  static final List<Class<? extends KubernetesResource>> KINDS = List.of(Namespace.class, Pod.class, Node.class,
      Service.class, Endpoints.class, Event.class, ConfigMap.class, Secret.class, ServiceAccount.class,
      Deployment.class, ReplicaSet.class, Lease.class, EndpointSlice.class, Status.class);

  public ClientConfig {
    if ((server == null || server.isBlank()) && kubeconfig == null) {
      throw new IllegalArgumentException("say where the apiserver is: --server URL or --kubeconfig FILE");
    }
  }

  /**
   * A client as the component's own: its user agent names it, requests are rate-limited, failed
   * requests are retried with backoff, watches (informers) reconnect for ever, and its informers'
   * work runs on a {@link ClientTaskExecutor}.
   */
  public KubernetesClient newClient(String component) {
    Config base = kubeconfig != null ? Config.fromKubeconfig(new File(kubeconfig.toString())) : Config.empty();
    ConfigBuilder config = new ConfigBuilder(base)
        .withUserAgent(component + "/" + Version.KUBERNETES + " (kubemu " + Version.VERSION + ")")
        .withConnectionTimeout((int) CONNECT_TIMEOUT.toMillis())
        .withRequestTimeout((int) REQUEST_TIMEOUT.toMillis())
        .withRequestRetryBackoffInterval(100)
        .withRequestRetryBackoffLimit(8)
        .withWatchReconnectInterval(500)
        .withWatchReconnectLimit(-1);
    if (server != null && !server.isBlank()) {
      config.withMasterUrl(server);
    }
    Config built = config.build();
    boolean plainHttp = built.getMasterUrl() != null && built.getMasterUrl().startsWith("http://");
    if (plainHttp) {
      // No certificate is ever checked over plain HTTP, so none is loaded to trust: fabric8 would
      // read the JDK's trusted ones for the SSL context it asks every transport to make.
      built.setTrustCerts(true);
    }
    KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(built)
        .withKubernetesSerialization(serialization())
        .withTaskExecutorSupplier(new KubernetesClientBuilder.ExecutorSupplier() {
          @Override
          public Executor get() {
            return new ClientTaskExecutor(component + "-client-tasks");
          }

          @Override
          public void onClose(Executor executor) {
            ((ClientTaskExecutor) executor).shutdownNow();
          }
        });
    if (plainHttp) {
      builder.withHttpClientFactory(new PlainHttpClientFactory());
    }
    if (qps > 0) {
      ClientRateLimiter limiter = new ClientRateLimiter(qps, Math.max(1, burst));
      builder.withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("kubemu-rate-limit", limiter));
    }
    return builder.build();
  }

  /**
   * fabric8's own JSON mapping (as its default), knowing the kinds above instead of searching for
   * kinds, and reading a watch event's object of those kinds without a tree ({@link WatchEventObjects}).
   */
  static KubernetesSerialization serialization() {
    KubernetesSerialization serialization = new KubernetesSerialization(
        JsonMapper.builderWithJackson2Defaults().addModule(new Jackson2JdkTypesModule())
            .addMixIn(WatchEvent.class, WatchEventObjects.WatchEventMixIn.class).build(), false);
    KINDS.forEach(serialization::registerKubernetesResource);
    return serialization;
  }
}
