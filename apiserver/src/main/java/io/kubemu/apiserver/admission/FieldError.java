package io.kubemu.apiserver.admission;

import io.kubemu.apiserver.http.ApiException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One reason an object is invalid, as Kubernetes' {@code field.Error}: a type (which becomes
 * the cause's {@code reason}), the field, the offending value written as Go prints it, and a
 * detail. Its {@link #body()} is the cause's message, e.g. {@code Invalid value: "Bad": a
 * lowercase RFC 1123 ...}; {@link #toString()} adds the field in front, as in the Status message.
 *
 * @param value the bad value in Go syntax ({@link GoValue}), or null where the type leaves it out
 */
public record FieldError(Type type, FieldPath field, String value, String detail) {

  /** Kubernetes' field.ErrorType: the cause reason and the words that start the message. */
  public enum Type {
    REQUIRED("FieldValueRequired", "Required value"),
    INVALID("FieldValueInvalid", "Invalid value"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value"),
    NOT_FOUND("FieldValueNotFound", "Not found"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    TOO_LONG("FieldValueTooLong", "Too long"),
    TOO_MANY("FieldValueTooMany", "Too many");

    private final String reason;
    private final String words;

    Type(String reason, String words) {
      this.reason = reason;
      this.words = words;
    }

    public String reason() {
      return reason;
    }
  }

  public static FieldError required(FieldPath field, String detail) {
    return new FieldError(Type.REQUIRED, field, null, detail);
  }

  public static FieldError invalid(FieldPath field, String goValue, String detail) {
    return new FieldError(Type.INVALID, field, goValue, detail);
  }

  /** One Invalid error for each problem a format check found with the value (none when it found none). */
  public static List<FieldError> invalid(FieldPath field, String goValue, List<String> problems) {
    return problems.stream().map(problem -> invalid(field, goValue, problem)).toList();
  }

  /**
   * The same for a string value, quoted as Go prints it only when there is a problem: nearly every
   * value is valid, and each object has many (every label, every annotation).
   */
  public static List<FieldError> invalidValue(FieldPath field, String value, List<String> problems) {
    return problems.isEmpty() ? List.of() : invalid(field, GoValue.quote(value), problems);
  }

  /** A value outside a fixed set; the detail lists the supported values, each quoted, in the order given. */
  public static FieldError notSupported(FieldPath field, String goValue, List<String> supported) {
    String detail = supported.isEmpty() ? ""
        : "supported values: " + supported.stream().map(GoValue::quote).collect(Collectors.joining(", "));
    return new FieldError(Type.NOT_SUPPORTED, field, goValue, detail);
  }

  public static FieldError duplicate(FieldPath field, String goValue) {
    return new FieldError(Type.DUPLICATE, field, goValue, "");
  }

  public static FieldError notFound(FieldPath field, String goValue) {
    return new FieldError(Type.NOT_FOUND, field, goValue, "");
  }

  public static FieldError forbidden(FieldPath field, String detail) {
    return new FieldError(Type.FORBIDDEN, field, null, detail);
  }

  public static FieldError tooLong(FieldPath field, long maxBytes) {
    return new FieldError(Type.TOO_LONG, field, null, "may not be more than " + maxBytes + " bytes");
  }

  public static FieldError tooMany(FieldPath field, long actual, long max) {
    return new FieldError(Type.TOO_MANY, field, Long.toString(actual), "must have at most " + max + " items");
  }

  /** The message without the field: what a Status cause carries. */
  public String body() {
    String body = value == null ? type.words : type.words + ": " + value;
    return detail.isEmpty() ? body : body + ": " + detail;
  }

  public ApiException.Cause toCause() {
    return new ApiException.Cause(type.reason, body(), field.text());
  }

  @Override
  public String toString() {
    return field + ": " + body();
  }
}
