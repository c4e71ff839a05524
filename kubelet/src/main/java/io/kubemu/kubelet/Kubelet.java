package io.kubemu.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.component.client.ApiErrors;
import io.kubemu.component.events.EventRecorder;
import io.kubemu.component.workqueue.Workers;
import io.kubemu.kubelet.envvars.EnvironmentVariables;
import io.kubemu.kubelet.kuberuntime.ContainerConfigGenerator;
import io.kubemu.kubelet.backoff.Backoff;
import io.kubemu.kubelet.events.PodEventRecorder;
import io.kubemu.kubelet.images.ImageManager;
import io.kubemu.kubelet.kuberuntime.PodSyncResult;
import io.kubemu.kubelet.kuberuntime.RuntimeManager;
import io.kubemu.kubelet.network.PodNetwork;
import io.kubemu.kubelet.nodelease.NodeLeaseController;
import io.kubemu.kubelet.nodestatus.MachineInfo;
import io.kubemu.kubelet.nodestatus.NodeStatusManager;
import io.kubemu.kubelet.objects.CachingObjectManager;
import io.kubemu.kubelet.objects.ObjectManager;
import io.kubemu.kubelet.pleg.GenericPLEG;
import io.kubemu.kubelet.pod.PodWorkers;
import io.kubemu.kubelet.prober.Prober;
import io.kubemu.kubelet.prober.ProberManager;
import io.kubemu.kubelet.runtime.AddressInUseException;
import io.kubemu.kubelet.runtime.ImageService;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import io.kubemu.kubelet.runtime.RuntimeService;
import io.kubemu.kubelet.runtime.simulated.SimulatedRuntime;
import io.kubemu.kubelet.status.PodStatusGenerator;
import io.kubemu.kubelet.status.PodStatusGenerator.RuntimePodState;
import io.kubemu.kubelet.status.StatusManager;
import io.kubemu.kubelet.volume.MountVolumeException;
import io.kubemu.kubelet.volume.VolumeManager;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's agent (Kubernetes' kubelet.go): registers the Node, heartbeats it (Lease and status),
 * watches the pods bound to it (and only those: a field selector on spec.nodeName), and syncs each
 * through the pod workers: admit it, wait for the node's pod network, set up its volumes, run it on
 * the runtime, write its status back; for a deleted pod, stop its containers and delete it for good;
 * for a pod that left the node, remove what the runtime (and its directory) still has of it. The
 * PLEG's relist makes a pod sync again when one of its containers changed in the runtime (exited,
 * killed, removed), so that it restarts.
 */
public final class Kubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
  /** The source of the kubelet's events. */
  public static final String COMPONENT = "kubelet";

  private final KubernetesClient client;
  private final KubeletConfig config;
  private final RuntimeManager runtime;
  private final VolumeManager volumes;
  private final EventRecorder events;
  private final GenericPLEG pleg;
  private final ProberManager prober;
  /** The probes' periodic tasks: a few threads for all of the node's probes. */
  private final ScheduledExecutorService probes;
  private final Clock clock;
  private final PodNetwork network = new PodNetwork();
  private final StatusManager statusManager;
  private final PodWorkers podWorkers;
  private final NodeStatusManager nodeStatus;
  private final NodeLeaseController nodeLease;
  /** The node's heartbeats and the PLEG's relist: short periodic tasks on one thread. */
  private final ScheduledExecutorService heartbeats;
  private final Set<String> admitted = new HashSet<>();
  /** Pods this kubelet stopped and deleted, until their delete event arrives (kubelet's finished pod workers). */
  private final Set<String> finished = ConcurrentHashMap.newKeySet();
  private final BiFunction<Pod, String, String> adoption;
  private volatile Node node;
  private SharedIndexInformer<Node> nodeInformer;
  private SharedIndexInformer<Pod> podInformer;

  /**
   * @param adoption takes back, into a runtime that forgot it, a pod this node ran before a restart,
   *     given its IP (the simulated runtime's memory dies with the process); returns the sandbox id or null
   */
  public Kubelet(KubernetesClient client, KubeletConfig config, RuntimeService runtime, ImageService images,
      BiFunction<Pod, String, String> adoption, Clock clock) {
    this.client = client;
    this.config = config;
    Map<String, Quantity> allocatable = Map.of("cpu", config.node().cpu(), "memory", config.node().memory());
    ObjectManager objects = new CachingObjectManager(client, config.syncFrequency(), clock);
    this.volumes = new VolumeManager(config.rootDir(), objects, allocatable);
    this.events = new EventRecorder(client, COMPONENT, config.node().nodeName(), null, config.node().nodeName(),
        clock, config.eventRecordQps(), config.eventBurst());
    PodEventRecorder podEvents = PodEventRecorder.of(events);
    // A simulated container runs nowhere, as in kwok: nothing listens on its pod's IP, so HTTP and TCP probes
    // succeed without a connection, and no file is made for a termination message nothing could write.
    boolean simulated = runtime.version().runtimeName().equals(SimulatedRuntime.NAME);
    this.runtime = new RuntimeManager(runtime,
        new ImageManager(images, new Backoff(clock, config.crashLoopBackOffInitial(), config.crashLoopBackOffMax()),
            podEvents, clock),
        new Backoff(clock, config.crashLoopBackOffInitial(), config.crashLoopBackOffMax()), podEvents, clock,
        new ContainerConfigGenerator(new EnvironmentVariables(objects, allocatable), volumes::podVolumes,
            config.node().nodeIP(), simulated ? null : volumes::podDir));
    this.adoption = adoption;
    this.clock = clock;
    this.statusManager = new StatusManager(client);
    this.podWorkers = new PodWorkers(config.podWorkers(), this::syncPodWork);
    this.pleg = new GenericPLEG(runtime, podWorkers::syncPod);
    this.probes = Executors.newScheduledThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "kubelet-prober");
      thread.setDaemon(true);
      return thread;
    });
    this.prober = new ProberManager(new Prober(runtime, !simulated), probes, clock, podEvents,
        podWorkers::syncPod);
    this.runtime.setLivenessCheck(prober);
    this.nodeStatus = new NodeStatusManager(client, config.node(), MachineInfo.detect(config.node().nodeName()),
        config.nodeStatusReportFrequency(), clock, () -> node);
    this.nodeStatus.setImages(images::listImages);
    this.nodeLease = new NodeLeaseController(client, config.node().nodeName(), config.nodeLeaseDurationSeconds(), clock,
        () -> node);
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "kubelet-heartbeats");
      thread.setDaemon(true);
      return thread;
    });
  }

  public PodWorkers podWorkers() {
    return podWorkers;
  }

  public RuntimeManager runtimeManager() {
    return runtime;
  }

  /** Registers the Node, starts the heartbeats, then the pods: once its informer synced, the pods the runtime lost are adopted. */
  public void run() throws InterruptedException {
    node = registerUntilDone();
    String nodeName = config.node().nodeName();
    nodeInformer = client.nodes().withName(nodeName).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node added) {
        nodeChanged(added);
      }

      @Override
      public void onUpdate(Node old, Node updated) {
        nodeChanged(updated);
      }

      @Override
      public void onDelete(Node deleted, boolean unknownFinalState) {
        LOG.warn("node {} was deleted", nodeName);
      }
    }, 0);
    nodeInformer.start().toCompletableFuture().join();
    nodeStatus.syncNodeStatus();
    nodeLease.sync();
    long statusMillis = config.nodeStatusUpdateFrequency().toMillis();
    heartbeats.scheduleWithFixedDelay(this::syncNodeStatus, statusMillis, statusMillis, TimeUnit.MILLISECONDS);
    long leaseMillis = NodeLeaseController.renewInterval(config.nodeLeaseDurationSeconds()).toMillis();
    heartbeats.scheduleWithFixedDelay(this::renewLease, leaseMillis, leaseMillis, TimeUnit.MILLISECONDS);

    podInformer = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName)
        .runnableInformer(config.syncFrequency().toMillis());
    podInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        podChanged(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        if (!statusOnlyChanged(old, pod) || isFinished(pod)) {
          podChanged(pod); // a finished pod's own status brings its clean-up
        } else if (statusManager.isLastWritten(pod)) {
          podWorkers.refresh(pod); // the echo of its own status write
        } else {
          statusManager.reconcile(pod); // someone else's status: the kubelet's own goes back
          podChanged(pod);
        }
      }

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {
        podWorkers.removePod(pod);
      }
    });
    podInformer.start().toCompletableFuture().join();
    adoptPods(podInformer.getStore().list());
    Set<String> known = new HashSet<>(runtime.podUids());
    podInformer.getStore().list().forEach(pod -> known.add(pod.getMetadata().getUid()));
    volumes.cleanupOrphanedPodDirs(known);
    for (String uid : runtime.podUids()) {
      podWorkers.syncOrphan(uid);
    }
    podWorkers.start();
    pleg.start(heartbeats, config.plegRelistPeriod());
    LOG.info("kubelet {} is running its pods on the {} runtime", nodeName, runtime.runtime().version().runtimeName());
  }

  private Node registerUntilDone() throws InterruptedException {
    Duration backoff = Duration.ofMillis(100);
    while (true) {
      try {
        return nodeStatus.register();
      } catch (RuntimeException e) {
        LOG.warn("Unable to register node {} with the apiserver, retrying in {} ms: {}", config.node().nodeName(),
            backoff.toMillis(), ApiErrors.message(e));
        Thread.sleep(backoff.toMillis());
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(7)) > 0 ? Duration.ofSeconds(7)
            : backoff.multipliedBy(2);
      }
    }
  }

  private void nodeChanged(Node updated) {
    node = updated;
    if (network.setPodCIDR(updated.getSpec() == null ? null : updated.getSpec().getPodCIDR())) {
      podWorkers.syncAll();
    }
  }

  /**
   * As the kubelet's pod config (checkAndUpdatePod): an update that leaves the spec, the labels,
   * the annotations and the deletion as they were is not a pod update but a status change. The
   * kubelet's own status coming back through its watch needs nothing; another status is
   * reconciled (Kubernetes' status manager finds it differs from its own and writes its own again).
   * An informer's resync brings the same resourceVersion, and syncs the pod.
   */
  static boolean statusOnlyChanged(Pod old, Pod pod) {
    ObjectMeta before = old.getMetadata();
    ObjectMeta after = pod.getMetadata();
    return !Objects.equals(before.getResourceVersion(), after.getResourceVersion())
        && Objects.equals(old.getSpec(), pod.getSpec())
        && Objects.equals(before.getLabels(), after.getLabels())
        && Objects.equals(before.getAnnotations(), after.getAnnotations())
        && Objects.equals(before.getDeletionTimestamp(), after.getDeletionTimestamp())
        && Objects.equals(before.getDeletionGracePeriodSeconds(), after.getDeletionGracePeriodSeconds());
  }

  private void podChanged(Pod pod) {
    if (config.node().nodeName().equals(pod.getSpec().getNodeName())) {
      podWorkers.updatePod(pod);
    } else {
      podWorkers.removePod(pod);
    }
  }

  /**
   * After a restart: the pods the apiserver says run here keep running. A runtime that lost them
   * (the simulated one) takes them back; their IPs are reserved again, so no new pod gets one.
   */
  private void adoptPods(List<Pod> pods) {
    int adopted = 0;
    for (Pod pod : pods) {
      String uid = pod.getMetadata().getUid();
      PodStatus status = pod.getStatus();
      if (status == null || !PodStatusGenerator.RUNNING.equals(status.getPhase())) {
        continue;
      }
      synchronized (admitted) {
        admitted.add(uid);
      }
      if (runtime.sandbox(uid) == null && adoption.apply(pod, status.getPodIP()) != null) {
        adopted++;
      }
    }
    for (PodSandboxStatus sandbox : runtime.runtime().listPodSandbox()) {
      if (sandbox.ready() && sandbox.ip() != null && !sandbox.ip().equals(config.node().nodeIP())) {
        network.reserve(sandbox.ip(), sandbox.metadata().uid());
      }
    }
    if (adopted > 0) {
      LOG.info("adopted {} running pods from before the restart", adopted);
    }
  }

  private void syncNodeStatus() {
    try {
      nodeStatus.syncNodeStatus();
    } catch (RuntimeException e) {
      LOG.warn("Error updating node status, will retry: {}", ApiErrors.message(e));
    }
  }

  private void renewLease() {
    try {
      nodeLease.sync();
    } catch (RuntimeException e) {
      LOG.warn("failed to renew the node lease: {}", ApiErrors.message(e));
    }
  }

  /** What a pod worker does for one pod (kubelet's podWorkerLoop): sync, terminate, or clean up. */
  private void syncPodWork(String uid, Pod pod) throws Exception {
    if (pod == null) {
      cleanupPod(uid);
    } else if (finished.contains(uid)) {
      // Deleted by this kubelet; a late update event of it changes nothing until its delete event arrives.
    } else if (pod.getMetadata().getDeletionTimestamp() != null) {
      syncTerminatingPod(pod);
    } else if (isFinished(pod)) {
      prober.removePod(uid);
      runtime.killPod(pod, 0); // a finished pod runs nothing; its record stays until someone deletes it
      network.release(uid);
      synchronized (admitted) {
        admitted.remove(uid); // nor does it count against --max-pods
      }
    } else {
      syncPod(pod);
    }
  }

  private static boolean isFinished(Pod pod) {
    return pod.getStatus() != null && (PodStatusGenerator.SUCCEEDED.equals(pod.getStatus().getPhase())
        || PodStatusGenerator.FAILED.equals(pod.getStatus().getPhase()));
  }

  /** kubelet's SyncPod: admit, wait for the network, run one step on the runtime, write the status. */
  private void syncPod(Pod pod) {
    String uid = pod.getMetadata().getUid();
    if (!admit(pod)) {
      return;
    }
    boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    String hostIP = config.node().nodeIP();
    if (!hostNetwork && !network.ready() && runtime.sandbox(uid) == null) {
      // As a kubelet whose network is not ready: the pod waits in ContainerCreating.
      statusManager.setPodStatus(pod, PodStatusGenerator.generate(pod, runtime.podState(uid, false), hostIP,
          clock.instant()));
      return;
    }
    try {
      volumes.mountPodVolumes(pod);
    } catch (MountVolumeException e) {
      // As Kubernetes: the pod waits in ContainerCreating, a FailedMount event per volume says why; retried with backoff.
      e.failures().forEach(failure -> events.warning(pod, "FailedMount", failure));
      statusManager.setPodStatus(pod, PodStatusGenerator.generate(pod, runtime.podState(uid, false), prober, hostIP,
          clock.instant()));
      throw new Workers.RetryLater("pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
          + ": " + e.getMessage());
    }
    PodSyncResult result;
    try {
      result = runtime.syncPod(pod, () -> hostNetwork ? hostIP : network.allocate(uid));
    } catch (AddressInUseException e) {
      // Held by something this kubelet does not own (e.g. a container left by another kubelet): never hand it out.
      network.release(uid);
      network.reserve(e.ip(), "in-use:" + e.ip());
      throw e;
    }
    if (result.retryAfter() != null) {
      podWorkers.syncPodAfter(uid, result.retryAfter());
    }
    RuntimePodState state = runtime.podState(uid, false);
    prober.updatePod(pod, state);
    statusManager.setPodStatus(pod, PodStatusGenerator.generate(pod, state, prober, hostIP, clock.instant()));
  }

  /** The kubelet's admission: at most --max-pods pods; a pod over it fails with OutOfpods, as kubelet's. */
  private boolean admit(Pod pod) {
    String uid = pod.getMetadata().getUid();
    synchronized (admitted) {
      if (admitted.contains(uid)) {
        return true;
      }
      int maxPods = config.node().maxPods();
      if (admitted.size() < maxPods) {
        admitted.add(uid);
        return true;
      }
      String message = "Node didn't have enough resource: pods, requested: 1, used: " + admitted.size()
          + ", capacity: " + maxPods;
      LOG.warn("pod {}/{} rejected: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), message);
      statusManager.setPodStatus(pod, PodStatusGenerator.rejected(pod, "OutOfpods", message));
      return false;
    }
  }

  /**
   * kubelet's SyncTerminatingPod and the status manager's final delete: stops the containers within
   * the pod's deletion grace period, writes the final status, then deletes the pod with grace 0.
   */
  private void syncTerminatingPod(Pod pod) throws InterruptedException {
    String uid = pod.getMetadata().getUid();
    Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (grace == null) {
      grace = pod.getSpec().getTerminationGracePeriodSeconds() == null ? 30
          : pod.getSpec().getTerminationGracePeriodSeconds();
    }
    prober.removePod(uid);
    runtime.killPod(pod, grace);
    statusManager.setPodStatus(pod, PodStatusGenerator.generate(pod, runtime.podState(uid, true),
        config.node().nodeIP(), clock.instant()));
    statusManager.deletePod(pod);
    finished.add(uid);
    runtime.removePod(uid);
    network.release(uid);
  }

  /** kubelet's HandlePodCleanups for one pod: it is gone from this node; what the runtime has of it goes. */
  private void cleanupPod(String uid) {
    prober.removePod(uid);
    runtime.killPod(uid, 0);
    runtime.removePod(uid);
    network.release(uid);
    volumes.cleanupPod(uid);
    statusManager.forget(uid);
    runtime.forget(uid);
    finished.remove(uid);
    synchronized (admitted) {
      admitted.remove(uid);
    }
  }

  @Override
  public void close() {
    pleg.stop();
    heartbeats.shutdownNow();
    probes.shutdownNow();
    if (podInformer != null) {
      podInformer.stop();
    }
    if (nodeInformer != null) {
      nodeInformer.stop();
    }
    podWorkers.close();
  }
}
