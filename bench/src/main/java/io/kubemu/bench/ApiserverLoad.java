package io.kubemu.bench;

import io.kubemu.bench.PodTraffic.Verb;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A bounded load on a running apiserver: {@code --clients} loops creating, reading, patching
 * and deleting pods in one namespace while {@code --watchers} watches on that namespace's
 * pods stay open. Prints requests per second, latency per verb, watch delivery latency, the
 * apiserver's CPU and memory, and whether the goals of the issue are met.
 *
 * <p>{@code bench/apiserver-load.sh} starts the store and the apiserver; this only talks to them.
 */
@Command(name = "apiserver-load", mixinStandardHelpOptions = true,
    description = "Load on a running apiserver: pod create/get/patch/delete loops and many open watches.")
public final class ApiserverLoad implements Callable<Integer> {
  /** The goals of the issue: what the apiserver must sustain on a 2-core machine. */
  static final double MUTATING_P99_GOAL_MILLIS = 25;
  static final double WATCH_DELIVERY_P99_GOAL_MILLIS = 50;
  static final double THROUGHPUT_GOAL = 2000;

  @Option(names = "--server", defaultValue = "http://127.0.0.1:8080", description = "The apiserver (default: ${DEFAULT-VALUE}).")
  URI server;

  @Option(names = "--apiserver-pid", defaultValue = "-1", description = "The apiserver's process id, for its CPU and memory (Linux).")
  long apiserverPid;

  @Option(names = "--store-pids", split = ",", paramLabel = "PID,...", description = "The store members' process ids, for their CPU.")
  List<Long> storePids = new ArrayList<>();

  @Option(names = "--duration", defaultValue = "${env:BENCH_DURATION:-60}", paramLabel = "SECONDS",
      description = "Measured seconds (default: ${DEFAULT-VALUE}; or the environment's BENCH_DURATION).")
  double durationSeconds;

  @Option(names = "--warmup", defaultValue = "${env:BENCH_WARMUP:-10}", paramLabel = "SECONDS",
      description = "Seconds of the same load before the measured ones, not counted: the JVMs compile their hot code"
          + " (default: ${DEFAULT-VALUE}; or BENCH_WARMUP).")
  double warmupSeconds;

  @Option(names = "--clients", defaultValue = "50", description = "Concurrent request loops (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--watchers", defaultValue = "500", description = "Open watches on the pods (default: ${DEFAULT-VALUE}).")
  int watchers;

  @Option(names = "--namespace", defaultValue = "load", description = "Namespace of the pods (default: ${DEFAULT-VALUE}).")
  String namespace;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      HttpClientOptions options = new HttpClientOptions().setDefaultHost(server.getHost())
          .setDefaultPort(server.getPort()).setKeepAlive(true);
      // Separate pools: a request never waits for a connection that a watch holds.
      HttpClient requests = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(clients));
      HttpClient watches = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(Math.max(1, watchers)));
      awaitReady(requests);
      createNamespace(requests);

      PodWatchers podWatchers = new PodWatchers(watches, namespace);
      await(podWatchers.open(watchers), 120);
      log("%d watches open on the pods of namespace %s; %d clients for %.0f s warm-up + %.0f s measured",
          watchers, namespace, clients, warmupSeconds, durationSeconds);

      long start = System.nanoTime();
      Window window = new Window(start + (long) (warmupSeconds * 1e9), start + (long) ((warmupSeconds + durationSeconds) * 1e9));
      podWatchers.measure(window);
      String loadBefore = LoadAverage.oneMinute();
      PodTraffic traffic = new PodTraffic(vertx, requests, namespace);
      CpuInWindow cpu = new CpuInWindow(window, Map.of(
          "apiserver", new ProcessCpu(apiserverPid < 0 ? List.of() : List.of(apiserverPid)),
          "store", new ProcessCpu(storePids),
          "generator", new ProcessCpu(List.of(ProcessHandle.current().pid()))));
      Thread sampler = new Thread(cpu, "cpu-sampler");
      sampler.setDaemon(true);
      sampler.start();
      boolean drained = traffic.run(clients, window);
      sampler.join(TimeUnit.SECONDS.toMillis(5));
      long expectedEvents = traffic.writesDone() * watchers;
      awaitEvents(podWatchers, expectedEvents);
      ProcessMemory memory = ProcessMemory.of(apiserverPid);

      report(window, traffic, podWatchers, cpu, memory, expectedEvents, drained, loadBefore);
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void report(Window window, PodTraffic traffic, PodWatchers watchers, CpuInWindow cpu, ProcessMemory memory,
      long expectedEvents, boolean drained, String loadBefore) {
    out.printf(Locale.ROOT, "# apiserver load: %d clients creating, getting, patching (strategic merge) and deleting pods"
            + " in namespace %s, %d watches on those pods; %.0f s warm-up + %.0f s measured; load1 %s before, %s after%n",
        clients, namespace, this.watchers, warmupSeconds, durationSeconds, loadBefore, LoadAverage.oneMinute());
    out.printf(Locale.ROOT, "%-8s %10s %10s %9s %9s %9s%n", "verb", "requests", "req/s", "p50_ms", "p99_ms", "max_ms");
    Histogram all = new Histogram(PodTraffic.MAX_MICROS, 3);
    Histogram mutating = new Histogram(PodTraffic.MAX_MICROS, 3);
    for (Verb verb : Verb.values()) {
      Histogram latency = traffic.latencyMicros(verb);
      all.add(latency);
      if (verb.writes) {
        mutating.add(latency);
      }
      row(verb.name().toLowerCase(Locale.ROOT), latency, window);
    }
    row("all", all, window);
    row("mutating", mutating, window);
    out.printf(Locale.ROOT, "errors: %d%s%n", traffic.errors(),
        traffic.firstError() == null ? "" : " (first: " + traffic.firstError() + ")");
    if (!drained) {
      out.println("# some clients still had a request in flight a minute after the end");
    }

    Histogram delivery = watchers.deliveryMicros();
    out.printf(Locale.ROOT, "watch events: %d timed (ADDED, MODIFIED) p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
            + " %d of %d expected events received over the run (%.1f %%); %d watches ended early%s%n",
        delivery.getTotalCount(), millis(delivery, 50), millis(delivery, 99), delivery.getMaxValue() / 1000.0,
        watchers.events(), expectedEvents, expectedEvents == 0 ? 0 : 100.0 * watchers.events() / expectedEvents,
        watchers.endedEarly(), watchers.firstProblem() == null ? "" : " (first: " + watchers.firstProblem() + ")");
    double requestsPerSecond = all.getTotalCount() / window.seconds();
    out.printf(Locale.ROOT, "apiserver: %.2f cores (%.0f us CPU per request), RSS %s at the end, peak %s (VmHWM);"
            + " store members: %.2f cores; this load generator: %.2f cores%n",
        cpu.cores("apiserver"), cpu.cores("apiserver") * 1e6 / requestsPerSecond, mebibytes(memory.residentKib()),
        mebibytes(memory.peakResidentKib()), cpu.cores("store"), cpu.cores("generator"));

    double mutatingP99 = millis(mutating, 99);
    double deliveryP99 = millis(delivery, 99);
    Map<String, Boolean> goals = new LinkedHashMap<>();
    goals.put(String.format(Locale.ROOT, "mutating requests p99 <= %.0f ms: %.2f ms", MUTATING_P99_GOAL_MILLIS, mutatingP99),
        mutatingP99 <= MUTATING_P99_GOAL_MILLIS);
    goals.put(String.format(Locale.ROOT, "watch delivery p99 <= %.0f ms: %.2f ms", WATCH_DELIVERY_P99_GOAL_MILLIS, deliveryP99),
        deliveryP99 <= WATCH_DELIVERY_P99_GOAL_MILLIS);
    goals.put(String.format(Locale.ROOT, "throughput >= %.0f requests/s: %.0f requests/s", THROUGHPUT_GOAL, requestsPerSecond),
        requestsPerSecond >= THROUGHPUT_GOAL);
    out.println("goals:");
    goals.forEach((goal, met) -> out.printf("  %-60s %s%n", goal, met ? "met" : "NOT met"));

    // Machine-readable summary.
    out.printf(Locale.ROOT, "requests_per_second=%.1f%n", requestsPerSecond);
    for (Verb verb : Verb.values()) {
      String name = verb.name().toLowerCase(Locale.ROOT);
      out.printf(Locale.ROOT, "%s_p50_ms=%.2f%n%s_p99_ms=%.2f%n", name, millis(traffic.latencyMicros(verb), 50), name,
          millis(traffic.latencyMicros(verb), 99));
    }
    out.printf(Locale.ROOT, "mutating_p99_ms=%.2f%n", mutatingP99);
    out.printf(Locale.ROOT, "watch_delivery_p50_ms=%.2f%nwatch_delivery_p99_ms=%.2f%n", millis(delivery, 50), deliveryP99);
    out.printf(Locale.ROOT, "apiserver_rss_kib=%d%napiserver_peak_rss_kib=%d%n", memory.residentKib(),
        memory.peakResidentKib());
    out.printf("goals_met=%s%n", goals.values().stream().allMatch(met -> met));
    out.flush();
  }

  private void row(String name, Histogram latency, Window window) {
    out.printf(Locale.ROOT, "%-8s %10d %10.1f %9.2f %9.2f %9.2f%n", name, latency.getTotalCount(),
        latency.getTotalCount() / window.seconds(), millis(latency, 50), millis(latency, 99),
        latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0);
  }

  private static double millis(Histogram micros, double percentile) {
    return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(percentile) / 1000.0;
  }

  private static String mebibytes(long kib) {
    return kib < 0 ? "-" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
  }

  /** The apiserver answers /readyz once its watch caches are filled. */
  private void awaitReady(HttpClient http) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try {
        int code = await(http.request(HttpMethod.GET, "/readyz").compose(req -> req.send())
            .compose(response -> response.body().map(body -> response.statusCode())), 10);
        if (code == 200) {
          return;
        }
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the apiserver at " + server + " is not ready after 120 s", e);
        }
      }
      Thread.sleep(200);
    }
  }

  private void createNamespace(HttpClient http) throws Exception {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/namespaces")
        .putHeader("Content-Type", "application/json");
    Buffer body = Buffer.buffer("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}");
    int code = await(http.request(request).compose(req -> req.send(body))
        .compose(response -> response.body().map(reply -> response.statusCode())), 30);
    if (code != 201 && code != 409) {
      throw new IllegalStateException("creating namespace " + namespace + " answered " + code);
    }
  }

  /** Waits (at most 30 s) until the watchers have every event the acknowledged writes made, or no more come. */
  private static void awaitEvents(PodWatchers watchers, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long last = -1;
    while (watchers.events() < expected && System.nanoTime() < deadline) {
      long now = watchers.events();
      if (now == last) {
        return; // nothing arrived in the last second: what is missing will not come
      }
      last = now;
      Thread.sleep(1000);
    }
  }

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "apiserver-load: " + format + "%n", args);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiserverLoad()).execute(args));
  }
}
