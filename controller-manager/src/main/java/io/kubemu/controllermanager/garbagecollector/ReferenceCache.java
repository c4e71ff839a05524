package io.kubemu.controllermanager.garbagecollector;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Owners known to be gone, the last {@code size} of them (Kubernetes' absentOwnerCache): when an
 * owner with many dependents goes, each dependent's check finds it here instead of asking the
 * apiserver for it again.
 */
final class ReferenceCache {
  private final Map<ObjectIdentity, Boolean> absent;

  ReferenceCache(int capacity) {
    this.absent = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ObjectIdentity, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized void add(ObjectIdentity owner) {
    absent.put(owner, Boolean.TRUE);
  }

  synchronized boolean has(ObjectIdentity owner) {
    return absent.containsKey(owner);
  }
}
