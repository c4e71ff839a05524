package io.kubemu.kubelet.events;

/** The reasons of the kubelet's events about pods and their containers, Kubernetes' names (pkg/kubelet/events). */
public final class Events {
  public static final String PULLING_IMAGE = "Pulling";
  public static final String PULLED_IMAGE = "Pulled";
  public static final String FAILED_TO_PULL_IMAGE = "Failed";
  public static final String BACK_OFF_PULL_IMAGE = "BackOff";
  public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
  public static final String CREATED_CONTAINER = "Created";
  public static final String STARTED_CONTAINER = "Started";
  public static final String FAILED_TO_CREATE_CONTAINER = "Failed";
  public static final String FAILED_TO_START_CONTAINER = "Failed";
  public static final String KILLING_CONTAINER = "Killing";
  public static final String BACK_OFF_START_CONTAINER = "BackOff";
  public static final String CONTAINER_UNHEALTHY = "Unhealthy";

  private Events() {}
}
