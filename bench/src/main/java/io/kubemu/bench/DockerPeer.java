package io.kubemu.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The peer of the pod startup benchmark: the same pods' containers run with plain Docker, laid out
 * as kubemu's Docker runtime lays them out, as two {@code docker run -d} would: a pause container
 * on the cluster's Docker network with an IP of its own, then the app container joining its
 * network and IPC ({@code --network container:<pause>}). No apiserver, scheduler or kubelet: what
 * Docker alone takes per pod, the floor under kubemu's figure. Every container carries the label
 * {@link #LABEL} with this run's name, by which {@link #removeAll()} finds them.
 */
final class DockerPeer {
  static final String LABEL = "io.kubemu.bench.peer";

  private final DockerClient docker;
  private final String network;
  private final String pauseImage;
  private final String image;
  private final String run;

  /**
   * @param run names this run's containers (a prefix of their names, and the value of {@link #LABEL})
   */
  DockerPeer(DockerClient docker, String network, String pauseImage, String image, String run) {
    this.docker = docker;
    this.network = network;
    this.pauseImage = pauseImage;
    this.image = image;
    this.run = run;
  }

  /** Runs {@code pods} pods' containers, all at once or one after another; each pod's time from its first call to its app container started. */
  Latencies run(int pods, Creation creation) throws Exception {
    List<String> ips = addresses(subnet(), pods);
    List<Long> nanos = new ArrayList<>();
    if (creation == Creation.ONE_AFTER_ANOTHER) {
      for (int i = 0; i < pods; i++) {
        nanos.add(runPod(i, ips.get(i)));
      }
      return Latencies.of(nanos);
    }
    ExecutorService threads = Executors.newFixedThreadPool(pods);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Long>> pairs = new ArrayList<>();
      for (int i = 0; i < pods; i++) {
        int pod = i;
        pairs.add(threads.submit(() -> {
          go.await();
          return runPod(pod, ips.get(pod));
        }));
      }
      go.countDown();
      for (Future<Long> pair : pairs) {
        nanos.add(pair.get());
      }
      return Latencies.of(nanos);
    } finally {
      threads.shutdownNow();
    }
  }

  /** One pod: the pause container with the pod's IP, then the app container in its namespaces. */
  private long runPod(int pod, String ip) {
    String name = run + "-" + pod;
    Map<String, String> labels = Map.of(LABEL, run);
    long start = System.nanoTime();
    String pause = docker.createContainerCmd(pauseImage).withName(name + "-pause").withLabels(labels)
        .withHostName(name).withIpv4Address(ip)
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network).withIpcMode("shareable")).exec().getId();
    docker.startContainerCmd(pause).exec();
    String app = docker.createContainerCmd(image).withName(name + "-app").withLabels(labels)
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("container:" + pause)
            .withIpcMode("container:" + pause)).exec().getId();
    docker.startContainerCmd(app).exec();
    return System.nanoTime() - start;
  }

  /** Removes this run's containers, running or not; returns how many there were. */
  int removeAll() {
    List<Container> containers = docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(LABEL, run)).exec();
    containers.forEach(container -> remove(docker, container.getId()));
    return containers.size();
  }

  /** Removes a container, running or not, unless someone else is removing it or has removed it. */
  static void remove(DockerClient docker, String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException | ConflictException e) {
      // gone, or going
    }
  }

  private String subnet() {
    Network found = docker.inspectNetworkCmd().withNetworkId(network).exec();
    return found.getIpam().getConfig().get(0).getSubnet();
  }

  /**
   * {@code count} addresses from the last /24 of {@code subnet}: the nodes' pod CIDRs are handed
   * out from its start, so the peer's pods do not take a kubemu pod's IP (unless a cluster has as
   * many nodes as the subnet has /24s).
   */
  static List<String> addresses(String subnet, int count) {
    String[] parts = subnet.split("/");
    int prefix = Integer.parseInt(parts[1]);
    if (prefix > 24) {
      throw new IllegalArgumentException("the Docker network's subnet " + subnet + " is smaller than a /24");
    }
    if (count < 1 || count > 254) {
      throw new IllegalArgumentException("a /24 holds 1 to 254 pods' addresses, not " + count);
    }
    String[] octets = parts[0].split("\\.");
    long base = 0;
    for (String octet : octets) {
      base = base << 8 | Integer.parseInt(octet);
    }
    long size = 1L << (32 - prefix);
    long lastBlock = (base & ~(size - 1)) + size - 256;
    List<String> ips = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      long ip = lastBlock + i;
      ips.add((ip >> 24 & 255) + "." + (ip >> 16 & 255) + "." + (ip >> 8 & 255) + "." + (ip & 255));
    }
    return ips;
  }
}
