package io.kubemu.controllermanager.namespace;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one pass of emptying a namespace left behind: how long to wait for what is still going
 * (pods stopping, objects with finalizers), what remains per resource and per finalizer, and what
 * could not be deleted. The namespace's conditions are made from it.
 */
final class ContentDeletion {
  /** Seconds until the remaining content is expected gone; 0: nothing to wait for. */
  long estimate;
  /** Remaining objects per group resource, e.g. {@code pods.} -> 3. */
  final SortedMap<String, Integer> remaining = new TreeMap<>();
  /** Remaining objects per finalizer they carry. */
  final SortedMap<String, Integer> finalizers = new TreeMap<>();
  final List<String> errors = new ArrayList<>();

  void waitFor(long seconds) {
    estimate = Math.max(estimate, seconds);
  }

  boolean isComplete() {
    return estimate == 0 && errors.isEmpty() && remaining.isEmpty();
  }
}
