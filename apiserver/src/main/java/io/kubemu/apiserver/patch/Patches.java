package io.kubemu.apiserver.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The apiserver's PATCH verb, minus the storage: picks the patch type from the request's
 * Content-Type and applies the body to the stored object. Whatever goes wrong comes out as a
 * {@link PatchException} that the apiserver answers as a {@code Status}.
 */
public final class Patches {
  /** What a real apiserver lists when it refuses a Content-Type, less server-side apply. */
  private static final String ACCEPTED = PatchType.JSON_PATCH.mediaType() + ", "
      + PatchType.MERGE_PATCH.mediaType() + ", " + PatchType.STRATEGIC_MERGE_PATCH.mediaType();

  private Patches() {
  }

  /**
   * The object after the patch; {@code current} is left as it was.
   *
   * @param contentType the request's Content-Type header
   * @param current the stored object as JSON
   * @param patch the request body
   * @param kind the object's kind, e.g. {@code Deployment}: a strategic merge patch needs it to know which lists merge
   * @throws PatchException 415 for server-side apply and unknown types, 400 for a body that is
   *     not a patch, 422 for a patch that does not apply to this object
   */
  public static ObjectNode apply(String contentType, ObjectNode current, byte[] patch, String kind) throws PatchException {
    PatchType type = PatchType.fromContentType(contentType).orElseThrow(() -> PatchException.unsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: " + ACCEPTED));
    return switch (type) {
      case JSON_PATCH -> JsonPatch.apply(current, Json.read(patch, "JSON patch"));
      case MERGE_PATCH -> JsonMergePatch.apply(current, Json.read(patch, "merge patch"));
      case STRATEGIC_MERGE_PATCH -> StrategicMergePatch.apply(current, Json.read(patch, "strategic merge patch"), kind);
      case APPLY_PATCH -> throw PatchException.unsupportedMediaType(
          "server-side apply (" + PatchType.APPLY_PATCH.mediaType() + ") is not supported by kubemu: use kubectl apply"
              + " without --server-side, or one of " + ACCEPTED);
    };
  }
}
