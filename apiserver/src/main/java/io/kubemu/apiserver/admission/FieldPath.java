package io.kubemu.apiserver.admission;

/**
 * Where in an object a validation error is, written as Kubernetes writes it in a Status:
 * {@code spec.containers[0].name}, {@code data[my key]}, or {@code []} for the whole object.
 */
public record FieldPath(String text) {
  /** The whole object, as Kubernetes names it when a limit applies to all of it (a ConfigMap's size). */
  public static final FieldPath WHOLE_OBJECT = new FieldPath("[]");

  public static FieldPath of(String first, String... more) {
    FieldPath path = new FieldPath(first);
    for (String name : more) {
      path = path.child(name);
    }
    return path;
  }

  public FieldPath child(String name) {
    return new FieldPath(text + "." + name);
  }

  public FieldPath index(int index) {
    return new FieldPath(text + "[" + index + "]");
  }

  /** A map entry, as in {@code data[key]}. */
  public FieldPath key(String key) {
    return new FieldPath(text + "[" + key + "]");
  }

  @Override
  public String toString() {
    return text;
  }
}
