package io.kubemu.scheduler.framework;

import java.util.List;

/**
 * A filter plugin's verdict on one node, as the scheduling framework's Status: the node fits,
 * or it does not for these reasons; {@code resolvable} says whether evicting pods (preemption)
 * could change that (Unschedulable) or not (UnschedulableAndUnresolvable).
 */
public record Status(boolean fits, boolean resolvable, List<String> reasons) {
  public static final Status FITS = new Status(true, true, List.of());

  /** Unschedulable: the node might fit if pods left it. */
  public static Status unschedulable(String... reasons) {
    return new Status(false, true, List.of(reasons));
  }

  /** UnschedulableAndUnresolvable: no eviction makes the node fit. */
  public static Status unresolvable(String... reasons) {
    return new Status(false, false, List.of(reasons));
  }
}
