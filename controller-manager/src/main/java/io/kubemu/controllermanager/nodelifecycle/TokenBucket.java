package io.kubemu.controllermanager.nodelifecycle;

/**
 * client-go's token bucket rate limiter as the node lifecycle controller uses it: {@code qps}
 * tokens a second, a burst of one; a rate of 0 lets nothing through.
 */
final class TokenBucket {
  private double qps;
  private double tokens;
  private long lastNanos;

  TokenBucket(double qps, long nowNanos) {
    this.qps = qps;
    this.tokens = qps > 0 ? 1 : 0;
    this.lastNanos = nowNanos;
  }

  synchronized boolean tryAccept(long nowNanos) {
    refill(nowNanos);
    if (qps > 0 && tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Kubernetes' SwapLimiter: a new rate, starting with a full bucket. */
  synchronized void setRate(double qps, long nowNanos) {
    if (this.qps == qps) {
      return;
    }
    this.qps = qps;
    this.tokens = qps > 0 ? 1 : 0;
    this.lastNanos = nowNanos;
  }

  private void refill(long nowNanos) {
    if (qps > 0) {
      tokens = Math.min(1, tokens + (nowNanos - lastNanos) / 1e9 * qps);
    }
    lastNanos = nowNanos;
  }
}
