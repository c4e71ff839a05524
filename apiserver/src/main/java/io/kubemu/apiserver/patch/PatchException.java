package io.kubemu.apiserver.patch;

/**
 * A PATCH request the engine refuses. It carries what the apiserver needs for the {@code Status}
 * it answers: the HTTP code, the Kubernetes reason and a message that says what to fix. Nothing
 * has been changed when it is thrown.
 */
public final class PatchException extends RuntimeException {

  /** The {@code Status} reasons a patch can fail with, and their HTTP codes. */
  public enum Reason {
    /** The body is not a patch of its type: not JSON, the wrong shape, a malformed directive. */
    BAD_REQUEST("BadRequest", 400),
    /** A well-formed patch that does not apply to this object: a failed JSON patch {@code test}, a missing path. */
    INVALID("Invalid", 422),
    /** A patch type the server does not take (server-side apply, or an unknown Content-Type). */
    UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaType", 415);

    private final String statusReason;
    private final int code;

    Reason(String statusReason, int code) {
      this.statusReason = statusReason;
      this.code = code;
    }

    /** The value of {@code Status.reason}. */
    public String statusReason() {
      return statusReason;
    }

    /** The HTTP status code, also {@code Status.code}. */
    public int code() {
      return code;
    }
  }

  private final Reason reason;

  public PatchException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  static PatchException badRequest(String message) {
    return new PatchException(Reason.BAD_REQUEST, message);
  }

  static PatchException invalid(String message) {
    return new PatchException(Reason.INVALID, message);
  }

  static PatchException unsupportedMediaType(String message) {
    return new PatchException(Reason.UNSUPPORTED_MEDIA_TYPE, message);
  }

  public Reason reason() {
    return reason;
  }

  public int code() {
    return reason.code();
  }
}
