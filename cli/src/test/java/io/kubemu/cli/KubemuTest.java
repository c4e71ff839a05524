package io.kubemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class KubemuTest {
  record Run(int code, String out, String err) {}

  static Run kubemu(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // As main builds it: with only the subcommand that runs, if the first argument names one.
    int code = Kubemu.commandLine(args.length > 0 ? args[0] : null).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryComponentOfTheCluster() {
    Run help = kubemu("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("etcd-node", "apiserver", "controller-manager", "scheduler", "kubelet",
        "kube-proxy", "etcdctl", "kubeconfig");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String component : new String[] {"etcd-node", "apiserver", "controller-manager", "scheduler", "kubelet",
        "kube-proxy", "etcdctl", "kubeconfig"}) {
      Run help = kubemu(component, "--help");
      assertThat(help.code()).as(component).isZero();
      assertThat(help.out()).as(component).startsWith("Usage: kubemu " + component);
    }
  }

  @Test
  void helpOfOneComponentThroughTheHelpCommand() {
    Run help = kubemu("help", "kubelet");
    assertThat(help.code()).isZero();
    assertThat(help.out()).startsWith("Usage: kubemu kubelet");
  }

  @Test
  void aMistypedComponentIsReportedWithTheOneMeant() {
    Run run = kubemu("kubelte", "--node-name", "n1");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched arguments from index 0: 'kubelte'", "kubelet");
  }

  @Test
  void theKubeProxyAsksWhereTheApiserverIs() {
    Run run = kubemu("kube-proxy", "--mode", "userspace");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("say where the apiserver is: --server URL or --kubeconfig FILE");
  }

  @Test
  void theControllerManagerAsksWhereTheApiserverIs() {
    Run run = kubemu("controller-manager", "--leader-elect=false");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("say where the apiserver is: --server URL or --kubeconfig FILE");
  }

  @Test
  void theSchedulerAsksWhereTheApiserverIs() {
    Run run = kubemu("scheduler", "--secure-port", "0");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("say where the apiserver is: --server URL or --kubeconfig FILE");
  }

  @Test
  void kubeconfigPointsKubectlAtTheGivenServer() {
    Run run = kubemu("kubeconfig", "--server", "http://127.0.0.1:18080");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("server: http://127.0.0.1:18080", "current-context: kubemu");
  }

  @Test
  void aMistypedFlagIsReportedWithoutAStackTrace() {
    Run run = kubemu("etcd-node", "--name", "n1", "--peers", "n1=127.0.0.1:2380", "--snapshot-cout", "5");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown options: '--snapshot-cout'", "Possible solutions: --snapshot-count").doesNotContain("at io.kubemu");
  }
}
