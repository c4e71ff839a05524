package io.kubemu.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.cli.Kubemu;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpCommandTest {
  @TempDir
  Path dataDir;

  record Run(int code, String err) {}

  static Run up(String... args) {
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "up";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = Kubemu.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
        .execute(all);
    return new Run(code, err.toString());
  }

  @Test
  void badFlagsAreUsageErrorsAndStartNothing() {
    assertThat(up("--profile", "turbo", "--data-dir", dataDir.toString()))
        .satisfies(run -> assertThat(run.code()).isEqualTo(2))
        .satisfies(run -> assertThat(run.err()).contains("--profile is default or fast, not 'turbo'"));
    assertThat(up("--nodes", "0", "--data-dir", dataDir.toString()).err()).contains("--nodes must be at least 1");
    assertThat(up("--runtime", "containerd", "--data-dir", dataDir.toString()).err())
        .contains("--runtime is simulated or docker, not 'containerd'");
    assertThat(up("--nodes", "300", "--data-dir", dataDir.toString()).err())
        .contains("--cluster-cidr 10.42.0.0/16 has room for 256 nodes' /24 pod CIDRs, not 300");
    assertThat(up("--cluster-cidr", "10.42.0.0", "--data-dir", dataDir.toString()).err())
        .contains("is not an IPv4 CIDR");
    assertThat(dataDir).isEmptyDirectory();
  }

  @Test
  void theFastProfileShortensTheTimingsBetweenAKillAndTheHeal() {
    assertThat(Profile.DEFAULT.flags("controller-manager")).isEmpty();
    assertThat(Profile.FAST.flags("controller-manager")).contains("--node-monitor-grace-period=8s");
    assertThat(Profile.FAST.flags("apiserver")).contains("--default-unreachable-toleration-seconds=3");
    assertThat(Profile.FAST.flags("kubelet")).contains("--node-lease-duration-seconds=8");
  }

  @Test
  void aDataDirKeepsThePortsItWasFirstStartedWith() throws Exception {
    ClusterLayout first = ClusterLayout.of(dataDir, ClusterLayout.anyPorts());
    ClusterLayout again = ClusterLayout.of(dataDir, ClusterLayout.standard());
    assertThat(again).isEqualTo(first);
    assertThat(first.peers()).matches("etcd-1=127\\.0\\.0\\.1:\\d+,etcd-2=127\\.0\\.0\\.1:\\d+,etcd-3=127\\.0\\.0\\.1:\\d+");
    assertThat(ClusterLayout.standard().etcdServers()).isEqualTo("127.0.0.1:2379,127.0.0.1:22379,127.0.0.1:32379");
  }

  @Test
  void aDamagedLayoutSaysWhichEntry() throws Exception {
    Files.writeString(dataDir.resolve(ClusterLayout.FILE), "apiserver.port=eighty\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterLayout.of(dataDir, ClusterLayout.standard()))
        .hasMessageContaining("is damaged");
  }
}
