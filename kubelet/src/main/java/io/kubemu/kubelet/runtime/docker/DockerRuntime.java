package io.kubemu.kubelet.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.Volume;
import io.kubemu.kubelet.runtime.AddressInUseException;
import io.kubemu.kubelet.runtime.ContainerConfig;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.ExecSyncResponse;
import io.kubemu.kubelet.runtime.Image;
import io.kubemu.kubelet.runtime.ImagePullException;
import io.kubemu.kubelet.runtime.ImageService;
import io.kubemu.kubelet.runtime.Labels;
import io.kubemu.kubelet.runtime.LinuxContainerResources;
import io.kubemu.kubelet.runtime.LogOptions;
import io.kubemu.kubelet.runtime.PodSandboxConfig;
import io.kubemu.kubelet.runtime.PodSandboxMetadata;
import io.kubemu.kubelet.runtime.PodSandboxState;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import io.kubemu.kubelet.runtime.RuntimeService;
import io.kubemu.kubelet.runtime.RuntimeVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pods as real Docker containers, as Kubernetes' dockershim ran them: a sandbox is a pause
 * container holding the pod's network namespace, attached to the cluster's Docker network with
 * the IP the kubelet allocated from its node's podCIDR; each app container joins it
 * ({@code container:<pause>} network and IPC), so the containers of a pod share one IP and talk
 * over localhost. Names are dockershim's ({@code k8s_POD_<pod>_<ns>_<uid>_<attempt>},
 * {@code k8s_<container>_<pod>_<ns>_<uid>_<attempt>}).
 *
 * <p>Every container carries labels naming its cluster, network and node, its pod and container,
 * so the state of Docker maps back to pods at any time (after a kubelet restart too), and several
 * kubelets share one engine, of one cluster or several: each lists, and so touches, only the
 * containers labelled with its cluster, network and node.
 */
public final class DockerRuntime implements RuntimeService, ImageService {
  public static final String NAME = "docker";
  /** The node whose kubelet owns the container. */
  static final String NODE = "io.kubemu.node";
  /** The cluster's pod network: two clusters on one engine (each its own network) never see each other's containers. */
  static final String NETWORK = "io.kubemu.network";
  /**
   * The cluster: the UID of its kube-system namespace, which Kubernetes tools take for a cluster's
   * id. Two clusters on one engine and network, with the same node names, still keep apart.
   */
  static final String CLUSTER = "io.kubemu.cluster";
  /** dockershim's label telling sandboxes ("podsandbox") from containers ("container"). */
  static final String TYPE = "io.kubernetes.docker.type";
  static final String SANDBOX_ID = "io.kubernetes.sandbox.id";
  static final String ATTEMPT = "io.kubemu.attempt";
  static final String POD_IP = "io.kubemu.pod.ip";
  /** The image as the pod names it (Docker reports its id once the container exists). */
  static final String IMAGE = "io.kubemu.image";
  private static final String TYPE_SANDBOX = "podsandbox";
  private static final String TYPE_CONTAINER = "container";
  private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
  private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");
  /** How long a network another kubelet is creating may take to show up. */
  private static final Duration NETWORK_CREATED_ELSEWHERE = Duration.ofSeconds(10);
  private static final Pattern DAEMON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final DockerConnection engine;
  private final DockerClient docker;
  private final String nodeName;
  private final String network;
  private final String podInfraImage;
  /** Inspected containers, reused while Docker lists them in the same state (a finished container never changes). */
  private final Map<String, ContainerStatus> inspected = new ConcurrentHashMap<>();
  private final Supplier<String> clusterId;
  private volatile RuntimeVersion version;

  /**
   * @param network the Docker network the sandboxes join (it must hold every node's podCIDR)
   * @param podInfraImage the sandbox's image; {@link PauseImage#DEFAULT} is made here when missing
   * @param clusterId the cluster's id, asked for when the first container is listed or made (the
   *     apiserver answers by then: the kubelet registered its Node first)
   */
  public DockerRuntime(DockerConnection engine, String nodeName, String network, String podInfraImage,
      Supplier<String> clusterId) {
    this.clusterId = clusterId;
    this.engine = engine;
    this.docker = engine.client();
    this.nodeName = nodeName;
    this.network = network;
    this.podInfraImage = podInfraImage;
  }

  /**
   * Checks the engine answers, creates the cluster's network with {@code subnet} if no one did yet
   * (another kubelet may create it at the same moment), and makes the pause image if it is missing.
   */
  public DockerRuntime start(String subnet) {
    Version engineVersion = docker.versionCmd().exec();
    version = new RuntimeVersion(NAME, engineVersion.getVersion());
    ensureNetwork(subnet);
    if (imageStatus(podInfraImage) == null) {
      if (!podInfraImage.equals(PauseImage.DEFAULT)) {
        throw new IllegalStateException("the pod infra image " + podInfraImage + " is not present in Docker");
      }
      if (!"amd64".equals(engineVersion.getArch())) {
        throw new IllegalStateException("kubemu's own pause image is made for amd64; this engine is "
            + engineVersion.getArch() + ": give --pod-infra-container-image an image of its architecture");
      }
      int colon = PauseImage.DEFAULT.lastIndexOf(':');
      engine.importImage(PauseImage.DEFAULT.substring(0, colon), PauseImage.DEFAULT.substring(colon + 1),
          List.of("ENTRYPOINT [\"/pause\"]"), PauseImage.rootfsTar());
      LOG.info("made the pod sandbox image {}", podInfraImage);
    }
    return this;
  }

  private void ensureNetwork(String subnet) {
    if (engine.hasNetwork(network)) {
      return;
    }
    try {
      docker.createNetworkCmd().withName(network).withDriver("bridge").withCheckDuplicate(true)
          .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet)))
          .withLabels(Map.of("io.kubemu.network", "pods")).exec();
      LOG.info("created the Docker network {} ({}) for pods", network, subnet);
    } catch (DockerException e) {
      // Kubelets started together all find no network and create it. Docker refuses all but one:
      // by the name (409), or by the subnet (403) when the winner holds the address pool but has
      // not stored its network yet. Either way the network shows up in a moment.
      if (!(e instanceof ConflictException) && e.getHttpStatus() != 403) {
        throw e;
      }
      // A network of another name that has the subnet was there before this create: no use waiting.
      String holder = otherNetworkOf(subnet);
      if (holder != null) {
        throw new IllegalStateException("Docker did not create the network " + network + " of subnet " + subnet
            + ": the network " + holder + " has that subnet", e);
      }
      long deadline = System.nanoTime() + NETWORK_CREATED_ELSEWHERE.toNanos();
      while (!engine.hasNetwork(network)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Docker did not create the network " + network + " of subnet " + subnet
              + ": " + e.getMessage().strip(), e);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the network " + network, interrupted);
        }
      }
      LOG.debug("the Docker network {} was created by another kubelet", network);
    }
  }

  /** The name of a network other than the pods' one that has {@code subnet}, or null. */
  private String otherNetworkOf(String subnet) {
    return docker.listNetworksCmd().exec().stream()
        .filter(other -> !other.getName().equals(network) && other.getIpam() != null
            && other.getIpam().getConfig() != null
            && other.getIpam().getConfig().stream().anyMatch(config -> subnet.equals(config.getSubnet())))
        .map(Network::getName).findFirst().orElse(null);
  }

  @Override
  public RuntimeVersion version() {
    RuntimeVersion known = version;
    if (known == null) {
      known = new RuntimeVersion(NAME, docker.versionCmd().exec().getVersion());
      version = known;
    }
    return known;
  }

  // ---- sandboxes ----

  @Override
  public String runPodSandbox(PodSandboxConfig config) {
    PodSandboxMetadata metadata = config.metadata();
    Map<String, String> labels = labels(config.labels(), TYPE_SANDBOX, metadata.attempt(), podInfraImage);
    labels.put(POD_IP, config.ip());
    String name = "k8s_POD_" + metadata.name() + "_" + metadata.namespace() + "_" + metadata.uid() + "_"
        + metadata.attempt();
    HostConfig host = HostConfig.newHostConfig().withIpcMode("shareable")
        .withNetworkMode(config.hostNetwork() ? "host" : network);
    String id = create(name, () -> {
      CreateContainerCmd create = docker.createContainerCmd(podInfraImage).withName(name).withLabels(labels)
          .withHostConfig(host);
      if (!config.hostNetwork()) {
        create.withHostName(config.hostname()).withIpv4Address(config.ip());
      }
      return create;
    });
    try {
      docker.startContainerCmd(id).exec();
    } catch (DockerException e) {
      removeContainer(id); // a sandbox that did not start is of no use; the next attempt makes a new one
      if (String.valueOf(e.getMessage()).contains("Address already in use")) {
        throw new AddressInUseException(config.ip(), "the pod IP " + config.ip() + " is in use on the Docker network "
            + network + " by a container of no pod of this node");
      }
      throw e;
    }
    return id;
  }

  /** The kubelet's labels and the runtime's own: whose container (cluster, network, node), what, which attempt. */
  private Map<String, String> labels(Map<String, String> kubelet, String type, int attempt, String image) {
    Map<String, String> labels = new LinkedHashMap<>(kubelet);
    labels.put(NODE, nodeName);
    labels.put(NETWORK, network);
    labels.put(CLUSTER, clusterId.get());
    labels.put(TYPE, type);
    labels.put(ATTEMPT, Integer.toString(attempt));
    labels.put(IMAGE, image);
    return labels;
  }

  @Override
  public void stopPodSandbox(String podSandboxId) {
    for (ContainerStatus container : listContainers(podSandboxId)) {
      if (container.state() == ContainerState.CONTAINER_RUNNING) {
        stopContainer(container.id(), 0);
      }
    }
    stopContainer(podSandboxId, 0);
  }

  @Override
  public void removePodSandbox(String podSandboxId) {
    for (ContainerStatus container : listContainers(podSandboxId)) {
      removeContainer(container.id());
    }
    removeContainer(podSandboxId);
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String podSandboxId) {
    return listPodSandbox().stream().filter(sandbox -> sandbox.id().equals(podSandboxId)).findFirst().orElse(null);
  }

  @Override
  public List<PodSandboxStatus> listPodSandbox() {
    List<PodSandboxStatus> sandboxes = new ArrayList<>();
    for (Container container : list(TYPE_SANDBOX, null)) {
      Map<String, String> labels = container.getLabels();
      sandboxes.add(new PodSandboxStatus(container.getId(), new PodSandboxMetadata(labels.get(Labels.POD_NAME),
          labels.get(Labels.POD_NAMESPACE), labels.get(Labels.POD_UID), attempt(labels)),
          "running".equals(container.getState()) ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY,
          Instant.ofEpochSecond(Objects.requireNonNullElse(container.getCreated(), 0L)), labels.get(POD_IP)));
    }
    sandboxes.sort(Comparator.comparing(PodSandboxStatus::createdAt));
    return sandboxes;
  }

  // ---- containers ----

  @Override
  public String createContainer(String podSandboxId, ContainerConfig config) {
    PodSandboxStatus sandbox = podSandboxStatus(podSandboxId);
    if (sandbox == null) {
      throw new IllegalStateException("no sandbox " + podSandboxId);
    }
    PodSandboxMetadata pod = sandbox.metadata();
    Map<String, String> labels = labels(config.labels(), TYPE_CONTAINER, config.attempt(), config.image());
    labels.put(SANDBOX_ID, podSandboxId);
    String name = "k8s_" + config.name() + "_" + pod.name() + "_" + pod.namespace() + "_" + pod.uid() + "_"
        + config.attempt();
    HostConfig host = HostConfig.newHostConfig().withNetworkMode("container:" + podSandboxId)
        .withIpcMode("container:" + podSandboxId).withBinds(binds(config.mounts()));
    LinuxContainerResources resources = config.resources();
    if (resources.cpuShares() > 0) {
      host.withCpuShares((int) resources.cpuShares());
    }
    if (resources.cpuQuota() > 0) {
      host.withCpuQuota(resources.cpuQuota()).withCpuPeriod(resources.cpuPeriod());
    }
    if (resources.memoryLimitInBytes() > 0) {
      host.withMemory(resources.memoryLimitInBytes());
    }
    return create(name, () -> {
      CreateContainerCmd create = docker.createContainerCmd(config.image()).withName(name).withLabels(labels)
          .withHostConfig(host).withTty(config.tty()).withStdinOpen(config.stdin())
          .withEnv(config.envs().stream().map(env -> env.key() + "=" + env.value()).toList());
      if (!config.command().isEmpty()) {
        create.withEntrypoint(config.command()).withCmd(config.args());
      } else if (!config.args().isEmpty()) {
        create.withCmd(config.args());
      }
      if (config.workingDir() != null && !config.workingDir().isEmpty()) {
        create.withWorkingDir(config.workingDir());
      }
      if (config.runAsUser() != null) {
        create.withUser(config.runAsUser() + (config.runAsGroup() != null ? ":" + config.runAsGroup() : ""));
      }
      return create;
    });
  }

  private static List<Bind> binds(List<ContainerConfig.Mount> mounts) {
    return mounts.stream().map(mount -> new Bind(mount.hostPath(), new Volume(mount.containerPath()),
        mount.readOnly() ? AccessMode.ro : AccessMode.rw)).toList();
  }

  /** Creates a container by name; a leftover of that name (a kubelet that died between create and start) goes first. */
  private String create(String name, Supplier<CreateContainerCmd> command) {
    try (CreateContainerCmd create = command.get()) {
      return create.exec().getId();
    } catch (ConflictException e) {
      LOG.info("removing the leftover container {} to create it again", name);
      removeContainer(name);
      try (CreateContainerCmd create = command.get()) {
        return create.exec().getId();
      }
    }
  }

  @Override
  public void startContainer(String containerId) {
    docker.startContainerCmd(containerId).exec();
    inspected.remove(containerId);
  }

  @Override
  public void stopContainer(String containerId, long timeoutSeconds) {
    try {
      docker.stopContainerCmd(containerId).withTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(0, timeoutSeconds)))
          .exec();
    } catch (NotFoundException | NotModifiedException e) {
      // gone already, or stopped already
    }
  }

  @Override
  public void removeContainer(String containerId) {
    try {
      docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // gone already
    } catch (ConflictException e) {
      LOG.debug("container {} is being removed already", containerId);
    }
    inspected.remove(containerId);
  }

  @Override
  public List<ContainerStatus> listContainers(String podSandboxId) {
    return statuses(list(TYPE_CONTAINER, podSandboxId));
  }

  @Override
  public List<ContainerStatus> listAllContainers() {
    List<Container> all = list(TYPE_CONTAINER, null);
    inspected.keySet().retainAll(all.stream().map(Container::getId).collect(Collectors.toSet()));
    return statuses(all);
  }

  @Override
  public ContainerStatus containerStatus(String containerId) {
    try {
      return inspect(containerId);
    } catch (NotFoundException e) {
      return null;
    }
  }

  private List<Container> list(String type, String sandboxId) {
    Map<String, String> filter = new LinkedHashMap<>();
    filter.put(NODE, nodeName);
    filter.put(NETWORK, network);
    filter.put(CLUSTER, clusterId.get());
    filter.put(TYPE, type);
    if (sandboxId != null) {
      filter.put(SANDBOX_ID, sandboxId);
    }
    return docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec();
  }

  /** The listed containers' statuses, oldest first; only those whose state changed since they were last inspected are inspected. */
  private List<ContainerStatus> statuses(List<Container> containers) {
    List<ContainerStatus> statuses = new ArrayList<>();
    for (Container container : containers) {
      ContainerStatus known = inspected.get(container.getId());
      if (known != null && known.state() == state(container.getState())) {
        statuses.add(known);
        continue;
      }
      try {
        statuses.add(inspect(container.getId()));
      } catch (NotFoundException e) {
        inspected.remove(container.getId()); // removed since it was listed
      }
    }
    statuses.sort(Comparator.comparing(ContainerStatus::createdAt).thenComparingInt(ContainerStatus::attempt));
    return statuses;
  }

  private ContainerStatus inspect(String containerId) {
    InspectContainerResponse response = docker.inspectContainerCmd(containerId).exec();
    InspectContainerResponse.ContainerState state = response.getState();
    Map<String, String> labels = response.getConfig().getLabels() == null ? Map.of() : response.getConfig().getLabels();
    ContainerState containerState = state(state.getStatus());
    int exitCode = Objects.requireNonNullElse(state.getExitCode(), 0);
    String reason = null;
    String message = null;
    if (containerState == ContainerState.CONTAINER_EXITED) {
      reason = Boolean.TRUE.equals(state.getOOMKilled()) ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error";
      message = state.getError() == null || state.getError().isEmpty() ? null : state.getError();
    }
    ContainerStatus status = new ContainerStatus(response.getId(), labels.get(SANDBOX_ID),
        labels.getOrDefault(Labels.CONTAINER_NAME, "POD"), attempt(labels), containerState, time(response.getCreated()),
        time(state.getStartedAt()), time(state.getFinishedAt()), exitCode, reason, message,
        labels.getOrDefault(IMAGE, response.getConfig().getImage()), "docker://" + response.getImageId(),
        Map.copyOf(labels));
    if (containerState == ContainerState.CONTAINER_RUNNING || containerState == ContainerState.CONTAINER_EXITED) {
      inspected.put(containerId, status);
    }
    return status;
  }

  private static ContainerState state(String dockerState) {
    return switch (String.valueOf(dockerState)) {
      case "created" -> ContainerState.CONTAINER_CREATED;
      case "running", "paused", "restarting" -> ContainerState.CONTAINER_RUNNING;
      case "exited", "dead", "removing" -> ContainerState.CONTAINER_EXITED;
      default -> ContainerState.CONTAINER_UNKNOWN;
    };
  }

  private static int attempt(Map<String, String> labels) {
    try {
      return Integer.parseInt(labels.getOrDefault(ATTEMPT, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Docker's RFC 3339 times; its zero time means "not yet". */
  private static Instant time(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    Instant instant = Instant.parse(value);
    return instant.equals(ZERO_TIME) ? null : instant;
  }

  // ---- exec and logs ----

  @Override
  public ExecSyncResponse execSync(String containerId, List<String> cmd, Duration timeout) {
    String execId = docker.execCreateCmd(containerId).withCmd(cmd.toArray(String[]::new)).withAttachStdout(true)
        .withAttachStderr(true).exec().getId();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try (ResultCallback.Adapter<Frame> output = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        ByteArrayOutputStream target = switch (frame.getStreamType()) {
          case STDERR -> stderr;
          default -> stdout;
        };
        synchronized (target) {
          target.writeBytes(frame.getPayload());
        }
      }
    })) {
      if (!output.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return new ExecSyncResponse(stdout.toByteArray(),
            ("command timed out after " + timeout.toSeconds() + "s").getBytes(), -1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ExecSyncResponse(new byte[0], "interrupted".getBytes(), -1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Long exitCode = docker.inspectExecCmd(execId).exec().getExitCodeLong();
    return new ExecSyncResponse(stdout.toByteArray(), stderr.toByteArray(),
        exitCode == null ? -1 : exitCode.intValue());
  }

  @Override
  public void readLogs(String containerId, LogOptions options, OutputStream out) throws IOException {
    if (options.tailLines() == 0 && !options.follow()) {
      return;
    }
    LogContainerCmd command = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true)
        .withFollowStream(options.follow()).withTimestamps(options.timestamps());
    if (options.tailLines() >= 0) {
      command.withTail((int) Math.min(Integer.MAX_VALUE, options.tailLines()));
    }
    if (options.since() != null) {
      command.withSince((int) options.since().getEpochSecond());
    }
    long[] left = {options.limitBytes() >= 0 ? options.limitBytes() : Long.MAX_VALUE};
    IOException[] failure = new IOException[1];
    ResultCallback.Adapter<Frame> copy = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        byte[] payload = frame.getPayload();
        int length = (int) Math.min(payload.length, left[0]);
        try {
          out.write(payload, 0, length);
          if (options.follow()) {
            out.flush();
          }
        } catch (IOException e) {
          failure[0] = e; // the reader left
          closeQuietly(this);
          return;
        }
        left[0] -= length;
        if (left[0] <= 0) {
          closeQuietly(this);
        }
      }
    };
    try {
      command.exec(copy).awaitCompletion();
    } catch (NotFoundException e) {
      throw new IOException("container " + containerId + " is gone", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(copy);
    }
    if (failure[0] != null && !options.follow()) {
      throw failure[0];
    }
  }

  private static void closeQuietly(ResultCallback.Adapter<Frame> callback) {
    try {
      callback.close();
    } catch (IOException e) {
      // closing a stream that ended anyway
    }
  }

  // ---- images ----

  @Override
  public Image imageStatus(String image) {
    try {
      InspectImageResponse response = docker.inspectImageCmd(image).exec();
      return new Image(response.getId(), Objects.requireNonNullElse(response.getRepoTags(), List.of()),
          Objects.requireNonNullElse(response.getRepoDigests(), List.of()),
          Objects.requireNonNullElse(response.getSize(), 0L));
    } catch (NotFoundException e) {
      return null;
    }
  }

  @Override
  public String pullImage(String image) throws ImagePullException {
    ImageReference reference = ImageReference.parse(image);
    try {
      var pull = docker.pullImageCmd(reference.repository());
      if (reference.tag() != null) {
        pull.withTag(reference.tag());
      }
      pull.start().awaitCompletion();
    } catch (DockerException e) {
      throw new ImagePullException(daemonMessage(e));
    } catch (RuntimeException e) {
      throw new ImagePullException(String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImagePullException("interrupted while pulling " + image);
    }
    Image pulled = imageStatus(image);
    if (pulled == null) {
      throw new ImagePullException("the image " + image + " is not present after pulling it");
    }
    return pulled.id();
  }

  @Override
  public List<Image> listImages() {
    return docker.listImagesCmd().exec().stream().map(image -> new Image(image.getId(),
        image.getRepoTags() == null ? List.of() : Arrays.asList(image.getRepoTags()),
        image.getRepoDigests() == null ? List.of() : Arrays.asList(image.getRepoDigests()),
        Objects.requireNonNullElse(image.getSize(), 0L))).toList();
  }

  /** The daemon's own words from an error response ({"message":"..."}), as the kubelet reports them. */
  static String daemonMessage(DockerException e) {
    String text = String.valueOf(e.getMessage());
    Matcher matcher = DAEMON_MESSAGE.matcher(text);
    return matcher.find() ? "Error response from daemon: " + matcher.group(1).replace("\\\"", "\"") : text;
  }

  /** An image reference split as Docker's pull wants it: repository (with registry), and tag or digest. */
  record ImageReference(String repository, String tag) {
    static ImageReference parse(String image) {
      int at = image.indexOf('@');
      if (at >= 0) {
        return new ImageReference(image.substring(0, at), image.substring(at + 1));
      }
      int slash = image.lastIndexOf('/');
      int colon = image.lastIndexOf(':');
      if (colon > slash) {
        return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
      }
      return new ImageReference(image, "latest");
    }
  }
}
