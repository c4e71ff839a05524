package io.kubemu.controllermanager.garbagecollector;

import java.util.List;

/**
 * One change to the dependency graph: an object an informer saw added, updated or deleted, or a
 * "virtual" delete, when the GC itself found an object the graph has to be gone.
 *
 * @param old the object before an update, or null
 */
record GraphEvent(Type type, boolean virtual, ObjectState object, ObjectState old) {
  enum Type { ADD, UPDATE, DELETE }

  static GraphEvent virtualDelete(ObjectIdentity identity) {
    return new GraphEvent(Type.DELETE, true, new ObjectState(identity, List.of(), false, List.of()), null);
  }
}
