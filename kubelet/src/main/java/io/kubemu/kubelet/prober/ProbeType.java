package io.kubemu.kubelet.prober;

/** The kubelet's three probes, with the names its events use. */
public enum ProbeType {
  LIVENESS("Liveness"), READINESS("Readiness"), STARTUP("Startup");

  private final String title;

  ProbeType(String title) {
    this.title = title;
  }

  /** As in {@code Liveness probe failed: ...}. */
  public String title() {
    return title;
  }
}
