package io.kubemu.kubelet.images;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.kubelet.backoff.Backoff;
import io.kubemu.kubelet.events.Events;
import io.kubemu.kubelet.events.PodEventRecorder;
import io.kubemu.kubelet.kuberuntime.ContainerStartException;
import io.kubemu.kubelet.runtime.Image;
import io.kubemu.kubelet.runtime.ImagePullException;
import io.kubemu.kubelet.runtime.ImageService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The kubelet's image manager (EnsureImageExists): before a container starts, makes sure its image
 * is on the node as the container's imagePullPolicy says, pulling it through the runtime's
 * {@link ImageService} one pull at a time in the pod's worker; a failed pull backs off per pod and
 * image (10s doubling to 5m, as crashing containers), and every step is an event on the pod.
 */
public final class ImageManager {
  public static final String ERR_IMAGE_PULL = "ErrImagePull";
  public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
  public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";

  private final ImageService images;
  private final Backoff backoff;
  private final PodEventRecorder events;
  private final Clock clock;

  public ImageManager(ImageService images, Backoff backoff, PodEventRecorder events, Clock clock) {
    this.images = images;
    this.backoff = backoff;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Makes sure the container's image is present; returns its reference.
   *
   * @throws ContainerStartException ErrImagePull, ImagePullBackOff or ErrImageNeverPull, with Kubernetes' message
   */
  public String ensureImageExists(Pod pod, Container container) throws ContainerStartException {
    String image = container.getImage();
    String policy = container.getImagePullPolicy() != null ? container.getImagePullPolicy() : defaultPullPolicy(image);
    Image present = policy.equals("Always") ? null : images.imageStatus(image);
    if (present != null) {
      events.normal(pod, Events.PULLED_IMAGE, "Container image \"" + image + "\" already present on machine");
      return present.id();
    }
    if (policy.equals("Never")) {
      String message = "Container image \"" + image + "\" is not present with pull policy of Never";
      events.warning(pod, Events.ERR_IMAGE_NEVER_PULL, message);
      throw new ContainerStartException(ERR_IMAGE_NEVER_PULL, message);
    }
    String key = pod.getMetadata().getUid() + "_" + image;
    if (backoff.isInBackOffSinceUpdate(key, clock.instant())) {
      String message = "Back-off pulling image \"" + image + "\"";
      events.normal(pod, Events.BACK_OFF_PULL_IMAGE, message);
      throw new ContainerStartException(IMAGE_PULL_BACK_OFF, message, backoff.remainingSinceUpdate(key, clock.instant()));
    }
    events.normal(pod, Events.PULLING_IMAGE, "Pulling image \"" + image + "\"");
    Instant start = clock.instant();
    try {
      String ref = images.pullImage(image);
      String took = Backoff.format(Duration.between(start, clock.instant()));
      Image pulled = images.imageStatus(image);
      events.normal(pod, Events.PULLED_IMAGE, "Successfully pulled image \"" + image + "\" in " + took + " (" + took
          + " including waiting). Image size: " + (pulled == null ? 0 : pulled.size()) + " bytes.");
      return ref;
    } catch (ImagePullException e) {
      String message = "Failed to pull image \"" + image + "\": " + e.getMessage();
      events.warning(pod, Events.FAILED_TO_PULL_IMAGE, message);
      backoff.next(key, clock.instant());
      throw new ContainerStartException(ERR_IMAGE_PULL, message, backoff.get(key));
    }
  }

  /** When to pull an image that the pod does not say: Always for a {@code :latest} or untagged image, else IfNotPresent. */
  public static String defaultPullPolicy(String image) {
    String name = image;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
      if (name.lastIndexOf(':') <= name.lastIndexOf('/')) {
        return "IfNotPresent"; // pinned by digest
      }
    }
    int colon = name.lastIndexOf(':');
    String tag = colon > name.lastIndexOf('/') ? name.substring(colon + 1) : "latest";
    return tag.equals("latest") ? "Always" : "IfNotPresent";
  }
}
