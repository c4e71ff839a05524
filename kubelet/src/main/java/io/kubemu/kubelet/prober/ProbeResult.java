package io.kubemu.kubelet.prober;

/** What one probe found (Kubernetes' probe.Result), with what the check said ({@code output}), for the event. */
public record ProbeResult(Result result, String output) {
  public enum Result {
    SUCCESS, FAILURE, UNKNOWN
  }

  public static ProbeResult success(String output) {
    return new ProbeResult(Result.SUCCESS, output);
  }

  public static ProbeResult failure(String output) {
    return new ProbeResult(Result.FAILURE, output);
  }
}
