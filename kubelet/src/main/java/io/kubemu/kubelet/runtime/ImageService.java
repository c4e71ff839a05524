package io.kubemu.kubelet.runtime;

import java.util.List;

/**
 * The images of the container runtime as the kubelet sees them, shaped like the CRI's ImageService:
 * the kubelet's image manager asks whether an image is present, pulls it when the pod's
 * imagePullPolicy says so, and reports the node's images in its status.
 */
public interface ImageService {
  /** The image, by the reference a pod names ({@code nginx:1.27}), or null when the runtime does not have it. */
  Image imageStatus(String image);

  /**
   * Pulls the image; returns its reference (the image id).
   *
   * @throws ImagePullException when it cannot be had (no such image, no registry, ...)
   */
  String pullImage(String image) throws ImagePullException;

  List<Image> listImages();
}
