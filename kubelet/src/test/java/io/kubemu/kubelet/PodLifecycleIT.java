package io.kubemu.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubemu.apiserver.Apiserver;
import io.kubemu.etcd.EtcdCluster;
import io.kubemu.kubelet.runtime.fake.FakeRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A pod's life on a kubelet whose runtime the test controls: a real store and apiserver, the kubelet
 * in this process on a runtime whose containers die when the test says. The relist notices a dead
 * container, the kubelet restarts it, then backs off (a 1s crash-loop backoff for speed), and the
 * apiserver shows it all as a user would see it; a failing readiness probe makes the pod unready.
 */
class PodLifecycleIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String NODE = "node-lifecycle";

  @TempDir
  static Path dir;

  static EtcdCluster store;
  static Apiserver apiserver;
  static KubernetesClient client;
  static FakeRuntime runtime;
  static Kubelet kubelet;

  @BeforeAll
  static void start() throws Exception {
    store = new EtcdCluster(dir.resolve("store"), 3).start();
    apiserver = new Apiserver(new Apiserver.Config(store.endpoints(), "127.0.0.1", 0)).start();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + apiserver.port())
        .withRequestRetryBackoffLimit(20).withRequestRetryBackoffInterval(100).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    KubeletCommand command = new KubeletCommand();
    new CommandLine(command).parseArgs("--server", "http://127.0.0.1:" + apiserver.port(), "--node-name", NODE,
        "--port", "0", "--pleg-relist-period", "200ms", "--crash-loop-backoff-initial", "1s",
        "--crash-loop-backoff-max", "4s");
    runtime = new FakeRuntime(Clock.systemUTC());
    runtime.addImage("nginx:1.27");
    kubelet = new Kubelet(client, command.config(), runtime, runtime, (pod, ip) -> null, Clock.systemUTC());
    kubelet.run();
    client.nodes().withName(NODE).edit(node -> {
      node.getSpec().setPodCIDR("10.42.7.0/24");
      node.getSpec().setPodCIDRs(List.of("10.42.7.0/24"));
      return node;
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (kubelet != null) {
      kubelet.close();
    }
    if (client != null) {
      client.close();
    }
    if (apiserver != null) {
      apiserver.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static Pod pod(String name) {
    return client.pods().inNamespace("default").withName(name).get();
  }

  private static ContainerStatus app(String name) {
    return pod(name).getStatus().getContainerStatuses().get(0);
  }

  private static String condition(Pod pod, String type) {
    return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type))
        .map(PodCondition::getStatus).findFirst().orElseThrow();
  }

  private static List<String> events(String pod) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(event -> event.getInvolvedObject().getName().equals(pod))
        .map(event -> event.getReason() + ": " + event.getMessage()).toList();
  }

  @Test
  void aContainerThatDiesIsRestartedThenBacksOffInCrashLoopBackOff() {
    Pod created = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("crasher")
        .endMetadata().withNewSpec().withNodeName(NODE).addNewContainer().withName("app").withImage("nginx:1.27")
        .endContainer().endSpec().build()).create();
    await().atMost(TIMEOUT).ignoreExceptions().until(() -> app("crasher").getState().getRunning() != null);

    runtime.exit(runtime.latest("app").id(), 1, null);
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      ContainerStatus app = app("crasher");
      assertThat(app.getRestartCount()).isEqualTo(1);
      assertThat(app.getState().getRunning()).isNotNull();
      assertThat(app.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    });

    String uid = created.getMetadata().getUid();
    // The back-off lasts a second: what the pod shows meanwhile is taken from a watch, not from polling.
    List<String> waiting = new CopyOnWriteArrayList<>();
    try (Watch watch = client.pods().inNamespace("default").withName("crasher").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        pod.getStatus().getContainerStatuses().stream().map(ContainerStatus::getState)
            .filter(state -> state.getWaiting() != null)
            .forEach(state -> waiting.add(state.getWaiting().getReason() + ": " + state.getWaiting().getMessage()));
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      runtime.exit(runtime.latest("app").id(), 1, null);
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(waiting)
          .contains("CrashLoopBackOff: back-off 1s restarting failed container=app pod=crasher_default(" + uid + ")"));
    }
    // The backoff ends and the kubelet, asked by no one, starts it again.
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(app("crasher").getRestartCount()).isEqualTo(2);
      assertThat(app("crasher").getState().getRunning()).isNotNull();
    });
    assertThat(pod("crasher").getStatus().getPhase()).isEqualTo("Running");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events("crasher")).contains(
        "BackOff: Back-off restarting failed container app in pod crasher_default(" + uid + ")"));
  }

  @Test
  void aFailingReadinessProbeMakesThePodUnreadyAndAPassingOneReadyAgain() {
    client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("probed")
        .endMetadata().withNewSpec().withNodeName(NODE).addNewContainer().withName("web").withImage("nginx:1.27")
        .withNewReadinessProbe().withNewExec().withCommand("check").endExec().withPeriodSeconds(1)
        .withFailureThreshold(1).endReadinessProbe().endContainer().endSpec().build()).create();
    await().atMost(TIMEOUT).ignoreExceptions().until(() -> "True".equals(condition(pod("probed"), "Ready")));
    runtime.execExitCode(1);
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      Pod pod = pod("probed");
      assertThat(condition(pod, "Ready")).isEqualTo("False");
      assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isFalse();
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    });
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events("probed"))
        .contains("Unhealthy: Readiness probe failed: out"));
    runtime.execExitCode(0);
    await().atMost(TIMEOUT).ignoreExceptions().until(() -> "True".equals(condition(pod("probed"), "Ready")));
  }
}
