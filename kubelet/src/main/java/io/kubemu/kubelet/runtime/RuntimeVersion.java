package io.kubemu.kubelet.runtime;

/** CRI's VersionResponse: what the Node reports as {@code containerRuntimeVersion}, {@code name://version}. */
public record RuntimeVersion(String runtimeName, String runtimeVersion) {
  public String containerRuntimeVersion() {
    return runtimeName + "://" + runtimeVersion;
  }
}
