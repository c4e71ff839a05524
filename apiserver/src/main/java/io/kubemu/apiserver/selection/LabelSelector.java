package io.kubemu.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubemu.apiserver.http.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A label selector in Kubernetes' text form, as in {@code ?labelSelector=app=nginx,tier!=db},
 * with every operator: {@code =}, {@code ==}, {@code !=}, {@code in}, {@code notin}, exists
 * ({@code key}) and does not exist ({@code !key}). All requirements must hold.
 */
public final class LabelSelector implements Predicate<JsonNode> {
  private enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  private record Requirement(String key, Op op, Set<String> values) {
    boolean matches(JsonNode labels) {
      JsonNode value = labels.get(key);
      boolean present = value != null && !value.isNull();
      return switch (op) {
        case EXISTS -> present;
        case DOES_NOT_EXIST -> !present;
        case EQUALS, IN -> present && values.contains(value.asText());
        case NOT_EQUALS, NOT_IN -> !present || !values.contains(value.asText());
      };
    }
  }

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public static LabelSelector everything() {
    return new LabelSelector(List.of());
  }

  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return everything();
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String term : splitTerms(text)) {
      requirements.add(parseTerm(term.trim(), text));
    }
    return new LabelSelector(requirements);
  }

  /** Splits on commas that are not inside a set, as in {@code env in (a,b),app=web}. */
  private static List<String> splitTerms(String text) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        terms.add(text.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(text.substring(start));
    return terms;
  }

  private static Requirement parseTerm(String term, String whole) {
    if (term.isEmpty()) {
      throw bad(whole);
    }
    if (term.startsWith("!")) {
      return new Requirement(checkKey(term.substring(1).trim(), whole), Op.DOES_NOT_EXIST, Set.of());
    }
    String[] words = term.split("\\s+", 2);
    if (words.length == 2 && (words[1].startsWith("in ") || words[1].startsWith("in(") || words[1].startsWith("notin"))) {
      boolean notIn = words[1].startsWith("notin");
      String set = words[1].substring(notIn ? 5 : 2).trim();
      if (!set.startsWith("(") || !set.endsWith(")")) {
        throw bad(whole);
      }
      Set<String> values = new LinkedHashSet<>();
      for (String value : set.substring(1, set.length() - 1).split(",")) {
        values.add(value.trim());
      }
      return new Requirement(checkKey(words[0], whole), notIn ? Op.NOT_IN : Op.IN, values);
    }
    int ne = term.indexOf("!=");
    if (ne > 0) {
      return new Requirement(checkKey(term.substring(0, ne).trim(), whole), Op.NOT_EQUALS,
          Set.of(term.substring(ne + 2).trim()));
    }
    int eq = term.indexOf('=');
    if (eq > 0) {
      String value = term.substring(term.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
      return new Requirement(checkKey(term.substring(0, eq).trim(), whole), Op.EQUALS, Set.of(value));
    }
    return new Requirement(checkKey(term, whole), Op.EXISTS, Set.of());
  }

  private static String checkKey(String key, String whole) {
    if (key.isEmpty() || !key.matches("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
      throw bad(whole);
    }
    return key;
  }

  private static ApiException bad(String text) {
    return ApiException.badRequest("unable to parse requirement: invalid label selector \"" + text + "\"");
  }

  /** Whether an object's metadata.labels satisfy the selector. */
  @Override
  public boolean test(JsonNode object) {
    JsonNode labels = object.path("metadata").path("labels");
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
