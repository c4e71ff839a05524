package io.kubemu.component.client;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.vertx.core.Context;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The client-side rate limit of client-go (its token bucket flowcontrol): a component sends
 * {@code qps} requests per second on average and at most {@code burst} at once, so that a busy
 * controller cannot flood the apiserver. A request over the limit waits in the thread that makes
 * it, as a controller's worker does in Kubernetes. Requests made on a Vert.x event loop (the
 * client's own watch reconnects) take their token but never hold the loop. {@link #reserve} is the
 * bucket alone, for a sender that waits in its own way (the event recorder's --event-qps).
 */
public final class ClientRateLimiter implements Interceptor {
  private final double permitsPerNano;
  private final double burst;
  private double tokens;
  private long refilledAt;

  public ClientRateLimiter(double qps, int burst) {
    this(qps, burst, System.nanoTime());
  }

  /** @param now the {@link System#nanoTime()} the bucket starts full at */
  ClientRateLimiter(double qps, int burst, long now) {
    this.permitsPerNano = qps / TimeUnit.SECONDS.toNanos(1);
    this.burst = burst;
    this.tokens = burst;
    this.refilledAt = now;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    long wait = reserve(System.nanoTime());
    if (wait > 0 && !Context.isOnEventLoopThread()) {
      LockSupport.parkNanos(wait);
    }
  }

  /** Takes a token, in debt if need be; returns how long the caller must wait for it (ns). */
  public synchronized long reserve(long now) {
    tokens = Math.min(burst, tokens + (now - refilledAt) * permitsPerNano);
    refilledAt = now;
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) (-tokens / permitsPerNano);
  }
}
