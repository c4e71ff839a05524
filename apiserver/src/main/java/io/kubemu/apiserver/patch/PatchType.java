package io.kubemu.apiserver.patch;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The patch types a PATCH request names in its Content-Type, as Kubernetes' {@code types.PatchType}. */
public enum PatchType {
  JSON_PATCH("application/json-patch+json"),
  MERGE_PATCH("application/merge-patch+json"),
  STRATEGIC_MERGE_PATCH("application/strategic-merge-patch+json"),
  /** Server-side apply: named so it can be refused with a clear message. */
  APPLY_PATCH("application/apply-patch+yaml");

  private final String mediaType;

  PatchType(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** The patch type of a Content-Type header; parameters such as {@code ; charset=utf-8} are ignored. */
  public static Optional<PatchType> fromContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(type -> type.mediaType.equals(mediaType)).findFirst();
  }
}
