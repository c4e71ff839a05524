package io.kubemu.apiserver.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /metrics}: what Prometheus scrapes (and {@code kubectl get --raw /metrics} shows),
 * in the Prometheus text format 0.0.4, or in OpenMetrics when the scraper's Accept header
 * prefers it. The scrape walks the JVM's beans and reads /proc, so it runs off the event loop.
 */
public final class MetricsEndpoint implements Handler<RoutingContext> {
  private final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();

  public MetricsEndpoint(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ExpositionFormatWriter writer = formats.findWriter(ctx.request().getHeader("Accept"));
    ctx.vertx().executeBlocking(() -> {
      ByteArrayOutputStream text = new ByteArrayOutputStream(64 * 1024);
      try {
        writer.write(text, registry.scrape());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Buffer.buffer(text.toByteArray());
    }, false).onComplete(scraped -> {
      if (scraped.failed()) {
        ctx.fail(scraped.cause());
        return;
      }
      ctx.response().putHeader("Content-Type", writer.getContentType()).end(scraped.result());
    });
  }
}
