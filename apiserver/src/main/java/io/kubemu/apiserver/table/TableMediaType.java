package io.kubemu.apiserver.table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an Accept header the way kube-apiserver negotiates it, to tell whether the client
 * wants a Table ({@code application/json;as=Table;v=v1;g=meta.k8s.io}) and in which version.
 * Clauses are tried by quality, more specific first; the first one the server can answer
 * decides.
 */
final class TableMediaType {
  private static final String META_GROUP = "meta.k8s.io";

  private record Clause(String type, String subType, double quality, Map<String, String> params) {
    boolean isJson() {
      return type.equals("*") && subType.equals("*")
          || type.equals("application") && (subType.equals("json") || subType.equals("*"));
    }

    /** Whether this clause outranks the other: higher quality, or a concrete type over a wildcard. */
    boolean before(Clause other) {
      return quality > other.quality
          || !type.equals("*") && other.type.equals("*")
          || !subType.equals("*") && other.subType.equals("*");
    }
  }

  private TableMediaType() {}

  static Optional<TableVersion> negotiate(String acceptHeader) {
    if (acceptHeader == null || acceptHeader.isBlank()) {
      return Optional.empty();
    }
    for (Clause clause : byPreference(parse(acceptHeader))) {
      if (!clause.isJson()) {
        continue;
      }
      String as = clause.params.get("as");
      if (as == null) {
        return Optional.empty(); // plain JSON
      }
      Optional<TableVersion> version = metaVersion(clause);
      if (version.isEmpty()) {
        continue; // a conversion this server cannot make
      }
      if (as.equals("Table")) {
        return version;
      }
      if (as.equals("PartialObjectMetadata") || as.equals("PartialObjectMetadataList")) {
        return Optional.empty(); // answerable, but not as a Table
      }
    }
    return Optional.empty();
  }

  private static Optional<TableVersion> metaVersion(Clause clause) {
    if (!META_GROUP.equals(clause.params.get("g"))) {
      return Optional.empty();
    }
    for (TableVersion version : TableVersion.values()) {
      if (version.version().equals(clause.params.get("v"))) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }

  private static List<Clause> parse(String header) {
    List<Clause> clauses = new ArrayList<>();
    for (String part : header.split(",")) {
      String[] pieces = part.split(";");
      String[] range = pieces[0].split("/", -1);
      String type = range[0].trim();
      String subType;
      if (range.length == 1 && type.equals("*")) {
        subType = "*";
      } else if (range.length == 2) {
        subType = range[1].trim();
      } else {
        continue;
      }
      double quality = 1.0;
      Map<String, String> params = new HashMap<>();
      for (int i = 1; i < pieces.length; i++) {
        String[] param = pieces[i].split("=", 2);
        if (param.length != 2) {
          continue;
        }
        String name = param[0].trim();
        if (name.equals("q")) {
          quality = parseQuality(param[1]);
        } else {
          params.put(name, param[1].trim());
        }
      }
      clauses.add(new Clause(type, subType, quality, params));
    }
    return clauses;
  }

  /** Like Kubernetes, a quality that does not parse (even for a space) counts as 0. */
  private static double parseQuality(String text) {
    if (!text.equals(text.strip())) {
      return 0;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** An insertion sort by {@link Clause#before}: stable, and fine with an ordering that is not total. */
  private static List<Clause> byPreference(List<Clause> clauses) {
    List<Clause> sorted = new ArrayList<>(clauses);
    for (int i = 1; i < sorted.size(); i++) {
      for (int j = i; j > 0 && sorted.get(j).before(sorted.get(j - 1)); j--) {
        sorted.set(j, sorted.set(j - 1, sorted.get(j)));
      }
    }
    return sorted;
  }
}
