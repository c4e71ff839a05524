package io.kubemu.apiserver.table;

/** The versions of meta.k8s.io a Table can be answered in; kubectl asks for v1, then v1beta1. */
public enum TableVersion {
  V1("v1"),
  V1BETA1("v1beta1");

  private final String version;

  TableVersion(String version) {
    this.version = version;
  }

  /** "v1" or "v1beta1", as the {@code v} parameter of the Accept header names it. */
  public String version() {
    return version;
  }

  /** "meta.k8s.io/v1": the apiVersion of the Table and of its PartialObjectMetadata rows. */
  public String apiVersion() {
    return "meta.k8s.io/" + version;
  }
}
