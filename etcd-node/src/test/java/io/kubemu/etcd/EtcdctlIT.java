package io.kubemu.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.client.KvClient;
import io.kubemu.etcd.ctl.Etcdctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kubemu etcdctl` against a real three-member store, checked by what it prints. */
class EtcdctlIT {
  @TempDir
  static Path dir;

  static EtcdCluster cluster;

  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void startStore() throws Exception {
    cluster = new EtcdCluster(dir, 3).start();
    try (var client = cluster.client()) {
      cluster.awaitLeader(client);
    }
  }

  @AfterAll
  static void stopStore() {
    cluster.close();
  }

  static Run etcdctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var commandLine = Etcdctl.commandLine();
    commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    all[0] = "--endpoints";
    all[1] = cluster.endpointsFlag();
    System.arraycopy(args, 0, all, 2, args.length);
    int code = commandLine.execute(all);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void putThenGetWithPrefixAndKeysOnlyPrintsWhatWasWritten() {
    assertThat(etcdctl("put", "/registry/pods/default/web-1", "{\"kind\":\"Pod\"}").out()).isEqualTo("OK\n");
    assertThat(etcdctl("put", "/registry/pods/default/web-2", "{\"kind\":\"Pod\"}").out()).isEqualTo("OK\n");

    assertThat(etcdctl("get", "/registry/pods/", "--prefix").out())
        .isEqualTo("/registry/pods/default/web-1\n{\"kind\":\"Pod\"}\n/registry/pods/default/web-2\n{\"kind\":\"Pod\"}\n");
    assertThat(etcdctl("get", "/registry/pods/", "--prefix", "--keys-only").out())
        .isEqualTo("/registry/pods/default/web-1\n/registry/pods/default/web-2\n");
    assertThat(etcdctl("get", "/registry/pods/", "--prefix", "--count-only").out()).isEqualTo("2\n");
  }

  @Test
  void getAtAnOlderRevisionShowsTheOlderValueUntilItIsCompacted() throws Exception {
    etcdctl("put", "/history/k", "v1");
    long first = revision();
    etcdctl("put", "/history/k", "v2");
    assertThat(etcdctl("get", "/history/k", "--rev", String.valueOf(first), "--print-value-only").out()).isEqualTo("v1\n");
    assertThat(etcdctl("get", "/history/k", "--print-value-only").out()).isEqualTo("v2\n");

    assertThat(etcdctl("compact", String.valueOf(first + 1)).out()).isEqualTo("compacted revision " + (first + 1) + "\n");
    Run compacted = etcdctl("get", "/history/k", "--rev", String.valueOf(first));
    assertThat(compacted.exitCode()).isEqualTo(1);
    assertThat(compacted.err()).contains("required revision has been compacted");
  }

  @Test
  void delWithPrefixPrintsHowManyKeysWentAndTheirValues() {
    etcdctl("put", "/gone/a", "1");
    etcdctl("put", "/gone/b", "2");
    assertThat(etcdctl("del", "/gone/", "--prefix", "--prev-kv").out()).isEqualTo("2\n/gone/a\n1\n/gone/b\n2\n");
    assertThat(etcdctl("get", "/gone/", "--prefix").out()).isEmpty();
  }

  @Test
  void watchPrintsEachChangeAsItHappens() throws InterruptedException {
    StringWriter out = new StringWriter();
    var watch = Etcdctl.commandLine();
    watch.setOut(new PrintWriter(out, true));
    Thread watching = new Thread(() -> watch.execute("--endpoints", cluster.endpointsFlag(), "watch", "/watched/", "--prefix"));
    watching.setDaemon(true);
    watching.start();
    try {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        etcdctl("put", "/watched/x", "hello");
        assertThat(out.toString()).contains("PUT\n/watched/x\nhello\n");
      });
      etcdctl("del", "/watched/x");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(out.toString()).contains("DELETE\n/watched/x\n"));
    } finally {
      watching.interrupt(); // like Ctrl-C: the watch command stops and closes its watch
      watching.join(5_000);
    }
  }

  @Test
  void memberListAndEndpointStatusNameTheLeader() {
    // The members are asked one after another: an election in between (a stalled member on a loaded
    // machine) can show none or two leaders for a moment.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String members = etcdctl("member", "list").out();
      assertThat(members.lines()).hasSize(3).allMatch(line -> line.matches("n[123], started, 127\\.0\\.0\\.1:\\d+, 127\\.0\\.0\\.1:\\d+, (true|false)"));
      assertThat(members.lines().filter(line -> line.endsWith("true"))).hasSize(1);
    });
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String status = etcdctl("endpoint", "status").out();
      assertThat(status.lines()).hasSize(3);
      assertThat(status.lines().filter(line -> line.contains(", true, "))).hasSize(1);
    });
  }

  @Test
  void aKeyOnALeaseIsListedUnderItAndGoesWithIt() {
    String granted = etcdctl("lease", "grant", "60").out();
    assertThat(granted).matches("lease [0-9a-f]+ granted with TTL\\(60s\\)\n");
    String id = granted.split(" ")[1];
    etcdctl("put", "/leased/k", "v", "--lease", id);
    assertThat(etcdctl("lease", "timetolive", id, "--keys").out()).contains("granted with TTL(60s)").contains("[/leased/k]");
    assertThat(etcdctl("lease", "revoke", id).out()).isEqualTo("lease " + id + " revoked\n");
    assertThat(etcdctl("get", "/leased/k").out()).isEmpty();
  }

  /** The store's current revision, read linearizably. */
  private static long revision() throws Exception {
    try (KvClient client = cluster.client()) {
      return KvClient.await(client.get(ByteString.copyFromUtf8("/"))).getHeader().getRevision();
    }
  }
}
