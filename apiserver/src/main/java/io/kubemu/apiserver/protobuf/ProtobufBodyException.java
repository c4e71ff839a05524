package io.kubemu.apiserver.protobuf;

/**
 * A request body sent as {@code application/vnd.kubernetes.protobuf} that kubemu cannot turn into
 * JSON. The message names what is wrong and what to send instead; {@link #statusCode()} is the
 * HTTP status the apiserver answers with.
 */
public final class ProtobufBodyException extends RuntimeException {

  /** What is wrong with the body. */
  public enum Problem {
    /** The body does not start with the Kubernetes protobuf magic bytes {@code k8s\0}. */
    NOT_PROTOBUF(400),
    /** The envelope or the object is not valid protobuf (for example cut short). */
    MALFORMED(400),
    /** The object has a field, set to a non-zero value, that the Kubernetes 1.33 types do not have. */
    UNKNOWN_FIELD(400),
    /** A kind kubemu does not decode from protobuf; the client can send it as JSON. */
    UNSUPPORTED_KIND(415),
    /** The envelope declares a content encoding or an inner content type other than plain protobuf. */
    UNSUPPORTED_ENCODING(415);

    private final int statusCode;

    Problem(int statusCode) {
      this.statusCode = statusCode;
    }
  }

  private final Problem problem;

  ProtobufBodyException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  ProtobufBodyException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  /** 400 Bad Request for a broken body, 415 Unsupported Media Type for a kind or encoding kubemu does not read. */
  public int statusCode() {
    return problem.statusCode;
  }
}
