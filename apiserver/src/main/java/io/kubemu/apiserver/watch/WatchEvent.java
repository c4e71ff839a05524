package io.kubemu.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One change of one object, as a watch stream carries it. */
public record WatchEvent(Type type, ObjectNode object, long revision) {
  public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }
}
