package io.kubemu.bench;

import io.kubemu.component.HostPort;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The same closed-loop load against kubemu's store (through {@code KvClient}) and a real etcd
 * (through jetcd), from this one JVM: sequential writes, writes by many concurrent clients,
 * and linearizable reads, one client and many. Prints one row per phase and store, the
 * kubemu/etcd throughput ratio per phase and, as its last line, {@code ratio_writes_64=<x>}.
 *
 * <p>The clusters are started by {@code bench/store-vs-etcd.sh}; this only talks to them.
 */
@Command(name = "store-vs-etcd", mixinStandardHelpOptions = true,
    description = "Benchmarks kubemu's store against etcd with the same load; both must be running.")
public final class StoreVsEtcd implements Callable<Integer> {
  /** The phases, in the order they run. */
  enum Phase {
    WRITES_1("writes", Load.Op.PUT, false),
    WRITES_N("writes", Load.Op.PUT, true),
    READS_1("reads", Load.Op.GET, false),
    READS_N("reads", Load.Op.GET, true);

    final String kind;
    final Load.Op op;
    final boolean concurrent;

    Phase(String kind, Load.Op op, boolean concurrent) {
      this.kind = kind;
      this.op = op;
      this.concurrent = concurrent;
    }
  }

  @Option(names = "--kubemu-endpoints", required = true, paramLabel = "HOST:PORT,...",
      description = "Client addresses of the kubemu store's members.")
  String kubemuEndpoints;

  @Option(names = "--etcd-endpoints", required = true, paramLabel = "URL,...",
      description = "Client URLs of the etcd members, e.g. http://127.0.0.1:42379.")
  String etcdEndpoints;

  @Option(names = "--kubemu-pids", split = ",", paramLabel = "PID,...",
      description = "Process ids of the kubemu members, to report the CPU they spend per operation (Linux).")
  List<Long> kubemuPids = new ArrayList<>();

  @Option(names = "--etcd-pids", split = ",", paramLabel = "PID,...",
      description = "Process ids of the etcd members, to report the CPU they spend per operation (Linux).")
  List<Long> etcdPids = new ArrayList<>();

  @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS",
      description = "Measured seconds per phase and store (default: ${DEFAULT-VALUE}).")
  double durationSeconds;

  @Option(names = "--warmup", defaultValue = "3", paramLabel = "SECONDS",
      description = "Unmeasured seconds before each measured window (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(names = "--jvm-warmup", defaultValue = "60", paramLabel = "SECONDS",
      description = {"Unmeasured load (concurrent writes, then concurrent reads) against each store before the first phase,"
          + " so that the JVMs (kubemu's members, both clients in this harness) have compiled their hot code"
          + " before anything is timed (default: ${DEFAULT-VALUE}; 0 skips it)."})
  double jvmWarmupSeconds;

  @Option(names = "--clients", defaultValue = "64",
      description = "Concurrent clients (requests in flight) in the concurrent phases (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--value-size", defaultValue = "256", paramLabel = "BYTES",
      description = "Size of every written value (default: ${DEFAULT-VALUE}).")
  int valueSize;

  @Option(names = "--keys", defaultValue = "1000",
      description = "Size of the key space written and read (default: ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--phases", split = ",", paramLabel = "PHASE,...",
      description = "Phases to run, of writes-1, writes-N, reads-1, reads-N (N = --clients; default: all).")
  List<String> phaseNames;

  @Option(names = "--stores", split = ",", defaultValue = "kubemu,etcd",
      description = "Stores to run against, of kubemu and etcd (default: ${DEFAULT-VALUE}).")
  List<String> storeNames;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    List<Phase> phases = selectedPhases();
    byte[] value = new byte[valueSize];
    new Random(42).nextBytes(value);
    Duration warmup = Duration.ofNanos((long) (warmupSeconds * 1e9));
    Duration duration = Duration.ofNanos((long) (durationSeconds * 1e9));

    List<Store> stores = new ArrayList<>();
    Load load = new Load();
    try {
      for (String name : storeNames) {
        stores.add(switch (name.trim()) {
          case "kubemu" -> new KubemuStore(HostPort.parseList(kubemuEndpoints), keys, value);
          case "etcd" -> new EtcdStore(Arrays.stream(etcdEndpoints.split(",")).map(String::trim).toList(), keys, value);
          default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown store: " + name);
        });
      }
      for (Store store : stores) {
        // Both clusters have elected a leader and take writes before anything is timed.
        store.put(0).get(60, TimeUnit.SECONDS);
      }
      if (jvmWarmupSeconds > 0) {
        // A fresh JVM compiles its hot code for a long time (on a 2-core machine each member's C2
        // compiler was still busy a minute after start), which would be measured as kubemu being slow.
        Duration half = Duration.ofNanos((long) (jvmWarmupSeconds * 1e9 / 2));
        for (Store store : stores) {
          System.err.printf(Locale.ROOT, "store-vs-etcd: warming up %s for %.0f s%n", store.name(), jvmWarmupSeconds);
          Load.fill(store, keys, clients);
          load.run(store, Load.Op.PUT, clients, keys, half, Duration.ZERO, cpuOf(store));
          load.run(store, Load.Op.GET, clients, keys, half, Duration.ZERO, cpuOf(store));
        }
      }

      out.printf(Locale.ROOT, "# %s, 3 members each on loopback; %d-byte values over %d keys; %d concurrent clients;"
              + " %.0f s JVM warm-up per store, then per phase and store %.0f s warm-up + %.0f s measured%n",
          String.join(" vs ", storeNames), valueSize, keys, clients, jvmWarmupSeconds, warmupSeconds, durationSeconds);
      out.printf(Locale.ROOT, "%-10s %-7s %8s %10s %9s %9s %7s %10s %6s%n",
          "phase", "store", "clients", "ops/s", "p50_ms", "p99_ms", "errors", "cpu_us/op", "load1");
      out.flush();

      Map<String, Double> ratios = new LinkedHashMap<>();
      boolean filled = false;
      for (Phase phase : phases) {
        if (phase.op == Load.Op.GET && !filled) {
          for (Store store : stores) {
            Load.fill(store, keys, clients);
          }
          filled = true;
        }
        int n = phase.concurrent ? clients : 1;
        String label = phase.kind + "-" + n;
        Map<String, Load.Result> results = new LinkedHashMap<>();
        for (Store store : stores) {
          System.err.printf(Locale.ROOT, "store-vs-etcd: %s against %s%n", label, store.name());
          Load.Result result = load.run(store, phase.op, n, keys, warmup, duration, cpuOf(store));
          results.put(store.name(), result);
          out.printf(Locale.ROOT, "%-10s %-7s %8d %10.1f %9.2f %9.2f %7d %10.0f %6s%n", label, result.store(), n,
              result.opsPerSecond(), result.p50Millis(), result.p99Millis(), result.errors(),
              result.serverCpuMicrosPerOp(), LoadAverage.oneMinute());
          if (result.firstError() != null) {
            out.printf("#   %s %s: first error: %s%n", label, result.store(), result.firstError());
          }
          if (!result.drained()) {
            out.printf("#   %s %s: some requests were still in flight 60 s after the phase ended%n", label, result.store());
          }
          out.flush();
        }
        Load.Result kubemu = results.get("kubemu");
        Load.Result etcd = results.get("etcd");
        if (kubemu != null && etcd != null) {
          double ratio = etcd.ops() == 0 ? Double.NaN : kubemu.opsPerSecond() / etcd.opsPerSecond();
          ratios.put("ratio_" + phase.kind + "_" + n, ratio);
          out.printf(Locale.ROOT, "%-10s %-7s throughput kubemu/etcd = %.2f%n", label, "ratio", ratio);
          out.flush();
        }
      }

      // Machine-readable summary; the 64-client write ratio is always the very last line.
      String last = "ratio_writes_" + clients;
      ratios.forEach((key, ratio) -> {
        if (!key.equals(last)) {
          out.printf(Locale.ROOT, "%s=%.2f%n", key, ratio);
        }
      });
      if (ratios.containsKey(last)) {
        out.printf(Locale.ROOT, "%s=%.2f%n", last, ratios.get(last));
      }
      out.flush();
      return 0;
    } finally {
      load.close();
      for (Store store : stores) {
        try {
          store.close();
        } catch (Exception e) {
          System.err.println("closing " + store.name() + ": " + e);
        }
      }
    }
  }

  private ProcessCpu cpuOf(Store store) {
    return new ProcessCpu(store.name().equals("kubemu") ? kubemuPids : etcdPids);
  }

  private List<Phase> selectedPhases() {
    if (phaseNames == null || phaseNames.isEmpty()) {
      return List.of(Phase.values());
    }
    List<Phase> selected = new ArrayList<>();
    for (Phase phase : Phase.values()) {
      String name = phase.kind + "-" + (phase.concurrent ? "N" : "1");
      String numbered = phase.kind + "-" + (phase.concurrent ? clients : 1);
      if (phaseNames.stream().map(String::trim).anyMatch(p -> p.equalsIgnoreCase(name) || p.equals(numbered))) {
        selected.add(phase);
      }
    }
    if (selected.isEmpty()) {
      throw new CommandLine.ParameterException(new CommandLine(this), "no known phase in --phases " + phaseNames);
    }
    return selected;
  }

  public static void main(String[] args) {
    int code = new CommandLine(new StoreVsEtcd()).execute(args);
    // Client libraries leave non-daemon threads behind; the numbers are printed, so leave.
    System.exit(code);
  }
}
