package io.kubemu.apiserver.metrics;

import io.kubemu.apiserver.http.ResourceRequest;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.vertx.ext.web.RoutingContext;

/**
 * kube-apiserver's request metrics, under its names and labels: every request to a resource
 * is counted by verb, resource and code ({@code apiserver_request_total}) and timed
 * ({@code apiserver_request_duration_seconds}) when its response ends, and a watch is counted
 * in {@code apiserver_longrunning_requests} while it is open. Recording is a few map look-ups
 * and atomic adds on the request's event loop, nothing more.
 */
public final class RequestMetrics {
  /** What kube-apiserver puts in the component label of the requests it serves itself. */
  static final String COMPONENT = "apiserver";
  /** kube-apiserver's buckets: fine below a second for the latency SLOs, up to a minute for slow lists. */
  static final double[] DURATION_BUCKETS = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6,
      8, 10, 15, 20, 30, 45, 60};

  private final Counter requests;
  private final Histogram durations;
  private final Gauge longRunning;

  public RequestMetrics(PrometheusRegistry registry) {
    requests = Counter.builder()
        .name("apiserver_request_total")
        .help("Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, "
            + "component, and HTTP response code.")
        .labelNames("verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component", "code")
        .withoutExemplars()
        .register(registry);
    durations = Histogram.builder()
        .name("apiserver_request_duration_seconds")
        .unit(Unit.SECONDS)
        .help("Response latency distribution in seconds for each verb, dry run value, group, version, resource, "
            + "subresource, scope and component.")
        .labelNames("verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component")
        .classicOnly()
        .classicUpperBounds(DURATION_BUCKETS)
        .withoutExemplars()
        .register(registry);
    longRunning = Gauge.builder()
        .name("apiserver_longrunning_requests")
        .help("Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope "
            + "and component. Not all requests are tracked this way.")
        .labelNames("verb", "group", "version", "resource", "subresource", "scope", "component")
        .withoutExemplars()
        .register(registry);
  }

  /**
   * Starts measuring a request to a resource: it is counted and timed when its response ends
   * or its connection closes, and counted as long-running until then if it is a watch.
   */
  public void monitor(RoutingContext ctx, ResourceRequest request, boolean watch) {
    long started = System.nanoTime();
    RequestLabels labels = RequestLabels.of(ctx.request().method(), request, watch, ctx.request().getHeader("Content-Type"));
    GaugeDataPoint open = labels.longRunning() ? longRunning.labelValues(labels.verb(), labels.group(), labels.version(),
        labels.resource(), labels.subresource(), labels.scope(), COMPONENT) : null;
    if (open != null) {
      open.inc();
    }
    ctx.addEndHandler(ended -> {
      if (open != null) {
        open.dec();
      }
      // kubemu does not do dry runs: every request's dry_run is "", as a real write's is.
      requests.labelValues(labels.verb(), "", labels.group(), labels.version(), labels.resource(), labels.subresource(),
          labels.scope(), COMPONENT, Integer.toString(ctx.response().getStatusCode())).inc();
      durations.labelValues(labels.verb(), "", labels.group(), labels.version(), labels.resource(), labels.subresource(),
          labels.scope(), COMPONENT).observe((System.nanoTime() - started) / 1e9);
    });
  }
}
