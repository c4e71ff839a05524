package io.kubemu.kubelet.envvars;

import java.util.Map;
import java.util.function.Function;

/**
 * Kubernetes' variable references in a container's env values, command, args and subPathExpr:
 * {@code $(NAME)} becomes NAME's value if NAME is defined, and stays as written if not;
 * {@code $$} is a literal {@code $}, so {@code $$(NAME)} is the text {@code $(NAME)}; a {@code $}
 * followed by anything else, or a {@code $(} never closed, is kept as it is.
 */
public final class Expansion {
  private Expansion() {}

  /** Looks a name up in each map in turn; an undefined name expands to its reference, unchanged. */
  @SafeVarargs
  public static Function<String, String> mappingFor(Map<String, String>... contexts) {
    return name -> {
      for (Map<String, String> context : contexts) {
        String value = context.get(name);
        if (value != null) {
          return value;
        }
      }
      return "$(" + name + ")";
    };
  }

  public static String expand(String input, Function<String, String> mapping) {
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 == input.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          out.append("$(");
          i += 2;
        } else {
          out.append(mapping.apply(input.substring(i + 2, close)));
          i = close + 1;
        }
      } else {
        out.append('$').append(next);
        i += 2;
      }
    }
    return out.toString();
  }
}
