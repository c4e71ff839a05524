package io.kubemu.controllermanager;

/**
 * One control loop of the controller-manager, shaped as Kubernetes' controllers are: its
 * constructor takes the shared informers it needs from the {@link ControllerContext} and adds
 * event handlers that put keys into its work queue; {@link #run} starts its workers once those
 * informers have synced; each worker syncs one key at a time, comparing what is wanted with what
 * is, and writing through the apiserver.
 */
public interface Controller extends AutoCloseable {
  /** Starts the workers; the informers have synced. */
  void run();

  /** Stops the workers (they finish the key in hand). */
  @Override
  void close();
}
