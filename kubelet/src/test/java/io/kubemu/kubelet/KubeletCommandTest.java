package io.kubemu.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KubeletCommandTest {
  private static KubeletCommand parse(String... args) {
    KubeletCommand command = new KubeletCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void defaultsAreTheKubelets() {
    KubeletCommand command = parse("--server", "http://127.0.0.1:8080", "--node-name", "node-1");
    KubeletConfig config = command.config();
    assertThat(command.client.config().qps()).isEqualTo(50);
    assertThat(command.client.config().burst()).isEqualTo(100);
    assertThat(config.node().nodeIP()).isEqualTo("127.0.0.1");
    assertThat(config.node().kubeletPort()).isEqualTo(10250);
    assertThat(config.healthzPort()).isEqualTo(10248);
    assertThat(config.node().maxPods()).isEqualTo(110);
    assertThat(config.nodeStatusUpdateFrequency()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.nodeStatusReportFrequency()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.nodeLeaseDurationSeconds()).isEqualTo(40);
    assertThat(config.node().cpu().toString()).isEqualTo("4");
    assertThat(config.node().memory().toString()).isEqualTo("8Gi");
    assertThat(config.node().runtime().containerRuntimeVersion()).startsWith("simulated://");
    assertThat(config.plegRelistPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.crashLoopBackOffInitial()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.crashLoopBackOffMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.eventRecordQps()).isEqualTo(50);
    assertThat(config.eventBurst()).isEqualTo(100);
  }

  @Test
  void theEventRateLimitIsAFlagAndZeroQpsIsNoLimit() {
    KubeletConfig config = parse("--server", "http://x:1", "--node-name", "n", "--event-qps", "0",
        "--event-burst", "5").config();
    assertThat(config.eventRecordQps()).isZero();
    assertThat(config.eventBurst()).isEqualTo(5);
    assertThatThrownBy(() -> parse("--server", "http://x:1", "--node-name", "n", "--event-qps", "-1").config())
        .hasMessageContaining("--event-qps");
  }

  @Test
  void theCrashLoopBackoffIsAFlagForFastDemos() {
    KubeletConfig config = parse("--server", "http://x:1", "--node-name", "n", "--crash-loop-backoff-initial", "1s",
        "--crash-loop-backoff-max", "8s", "--pleg-relist-period", "200ms").config();
    assertThat(config.crashLoopBackOffInitial()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.crashLoopBackOffMax()).isEqualTo(Duration.ofSeconds(8));
    assertThat(config.plegRelistPeriod()).isEqualTo(Duration.ofMillis(200));
    assertThatThrownBy(() -> parse("--server", "http://x:1", "--node-name", "n", "--pleg-relist-period", "0s")
        .config()).hasMessageContaining("--pleg-relist-period");
  }

  @Test
  void anUnknownRuntimeIsAUsageErrorWithExitStatusTwo() {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new KubeletCommand()).setErr(new PrintWriter(err));
    int code = command.execute("--server", "http://127.0.0.1:1", "--node-name", "node-1", "--runtime", "containerd");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--runtime containerd is not supported: the runtimes are simulated and docker");
  }

  @Test
  void aDockerEngineThatDoesNotAnswerEndsTheKubeletSayingWhere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new KubeletCommand()).setErr(new PrintWriter(err));
    String socket = "unix://" + dir.resolve("no-docker.sock");
    int code = command.execute("--server", "http://127.0.0.1:1", "--node-name", "node-1", "--runtime", "docker",
        "--docker-host", socket, "--port", "0", "--healthz-port", "0");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("the Docker Engine at " + socket + " cannot run pods");
  }

  @Test
  void taintsAndLabelsAreParsedAsTheKubeletDoes() {
    KubeletConfig config = parse("--server", "http://x:1", "--node-name", "n", "--register-with-taints",
        "dedicated=infra:NoSchedule,gpu:NoExecute", "--node-labels", "zone=a,kubemu.io/pool=blue").config();
    assertThat(config.node().taints()).extracting(t -> t.getKey() + "=" + t.getValue() + ":" + t.getEffect())
        .containsExactly("dedicated=infra:NoSchedule", "gpu=null:NoExecute");
    assertThat(config.node().labels()).containsEntry("zone", "a").containsEntry("kubemu.io/pool", "blue");
  }

  @Test
  void badFlagsSayWhatToFix() {
    assertThatThrownBy(() -> parse("--server", "http://x:1", "--node-name", "n", "--register-with-taints", "a=b:Never")
        .config()).hasMessageContaining("is not a taint like key=value:NoSchedule");
    assertThatThrownBy(() -> parse("--server", "http://x:1", "--node-name", "n", "--node-labels", "novalue").config())
        .hasMessageContaining("is not a label like key=value");
    assertThatThrownBy(() -> parse("--server", "http://x:1", "--node-name", "n", "--capacity-memory", "lots").config())
        .hasMessageContaining("--capacity-memory lots is not a positive quantity");
    assertThatThrownBy(() -> parse("--server", "http://x:1", "--node-name", "Node_1").config())
        .hasMessageContaining("is not a valid node name");
    assertThatThrownBy(() -> parse("--server", "http://x:1", "--node-name", "n", "--port", "70000").config())
        .hasMessageContaining("--port 70000 is not a port");
  }

  @Test
  void severalSimulatedNodesRunInOneProcessEachWithItsOwnShareOfTheClient() {
    KubeletCommand command = parse("--server", "http://x:1", "--node-name", "node-1,node-2,node-3", "--port", "0");
    assertThat(command.configs()).extracting(c -> c.node().nodeName()).containsExactly("node-1", "node-2", "node-3");
    assertThatThrownBy(() -> parse("--server", "http://x:1", "--node-name", "node-1,node-2").configs())
        .hasMessageContaining("need --port 0");
    assertThatThrownBy(() -> parse("--server", "http://x:1", "--node-name", "node-1,node-1", "--port", "0").configs())
        .hasMessageContaining("named twice");
  }

  @Test
  void eachNodeHasARootDirOfItsOwn() {
    assertThat(parse("--server", "http://x:1", "--node-name", "node-1").config().rootDir())
        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "kubemu-kubelet", "node-1").toAbsolutePath());
    assertThat(parse("--server", "http://x:1", "--node-name", "node-1", "--root-dir", "/srv/kubelet").config().rootDir())
        .isEqualTo(Path.of("/srv/kubelet"));
    assertThat(parse("--server", "http://x:1", "--node-name", "node-1,node-2", "--port", "0", "--root-dir",
        "/srv/kubelet").configs()).extracting(KubeletConfig::rootDir)
        .containsExactly(Path.of("/srv/kubelet/node-1"), Path.of("/srv/kubelet/node-2"));
  }
}
