package io.kubemu.apiserver.table;

import io.kubemu.apiserver.http.ApiException;

/**
 * What each Table row carries besides its cells, from the {@code includeObject} query
 * parameter: nothing, the object's metadata as a PartialObjectMetadata (the default, and
 * what kubectl needs to know each row's name and namespace), or the whole object.
 */
public enum IncludeObject {
  NONE("None"),
  METADATA("Metadata"),
  OBJECT("Object");

  private final String queryValue;

  IncludeObject(String queryValue) {
    this.queryValue = queryValue;
  }

  /** The value as the query parameter spells it: None, Metadata, Object. */
  public String queryValue() {
    return queryValue;
  }

  /** The policy the {@code includeObject} parameter asks for; Metadata when it is absent or empty. */
  public static IncludeObject fromQuery(String value) {
    if (value == null || value.isEmpty()) {
      return METADATA;
    }
    for (IncludeObject policy : values()) {
      if (policy.queryValue.equals(value)) {
        return policy;
      }
    }
    throw ApiException.badRequest("unrecognized includeObject value: \"" + value + "\"");
  }
}
