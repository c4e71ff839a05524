package io.kubemu.kubeproxy.iptables;

import io.kubemu.kubeproxy.Provider;
import io.kubemu.kubeproxy.healthcheck.ProxierHealthServer;
import io.kubemu.kubeproxy.metrics.ProxyMetrics;
import io.kubemu.kubeproxy.model.ServicePort;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-proxy's iptables mode: {@link #syncProxyRules} makes the machine's rules match the
 * current services and ready endpoints. It first writes the whole state of its own chains with
 * one {@code iptables-restore --noflush} (the built-in chains and everybody else's stay as they
 * are), afterwards only the per-service chains that changed, nothing when nothing did, and hooks
 * its chains into the built-in ones. A periodic sync writes everything again and checks the hooks,
 * to repair rules someone else removed.
 */
public final class Proxier implements Provider {
  private static final Logger LOG = LoggerFactory.getLogger(Proxier.class);

  private final Iptables iptables;
  private final ProxyRules rules;
  private final Supplier<List<ServicePort>> ports;
  private final ProxyMetrics metrics;
  private final ProxierHealthServer health;
  private final Clock clock;
  /**
   * When each endpoint change not yet written was made. The informer's handler adds to it without
   * the Proxier's lock, which a sync holds while iptables runs: the handler shares a thread with
   * every other event of the process.
   */
  private final Queue<Instant> pendingTriggers = new ConcurrentLinkedQueue<>();
  /** The per-service chains in the nat table as far as we know; null: read them from the table first. */
  private Set<String> knownChains;
  /** What the last write left in the tables; null: unknown, the next write is whole. */
  private ProxyRules.Text lastWritten;
  private boolean jumpsInPlace;

  public Proxier(Iptables iptables, ProxyRules rules, Supplier<List<ServicePort>> ports, ProxyMetrics metrics,
      ProxierHealthServer health, Clock clock) {
    this.iptables = iptables;
    this.rules = rules;
    this.ports = ports;
    this.metrics = metrics;
    this.health = health;
    this.clock = clock;
  }

  /**
   * An endpoint changed at {@code trigger} (the EndpointSlice's last-change-trigger-time, or when
   * the change was seen): network programming latency runs from then until the rules are written.
   */
  @Override
  public void endpointsChanged(Instant trigger) {
    pendingTriggers.add(trigger);
    health.queued();
  }

  @Override
  public void servicesChanged() {
    health.queued();
  }

  /** A periodic sync writes even unchanged rules. */
  @Override
  public boolean sync(boolean periodic) {
    return syncProxyRules(periodic);
  }

  /** One sync; {@code force}: write even if the text did not change. Returns whether the rules are in place. */
  public synchronized boolean syncProxyRules(boolean force) {
    long start = System.nanoTime();
    try {
      if (knownChains == null) {
        knownChains = perServiceChains(iptables.save("nat"));
      }
      int carried = pendingTriggers.size(); // the changes seen before the services are read are in this write
      List<ServicePort> current = ports.get();
      ProxyRules.Text text = rules.render(current, knownChains);
      if (force || !text.sameAs(lastWritten)) {
        // After the first write, only the per-service chains that changed (as Kubernetes' partial syncs).
        String restore = force || lastWritten == null ? text.restore() : text.restore(lastWritten.chainRules());
        try {
          iptables.restore(restore);
        } catch (IOException e) {
          metrics.restoreFailed();
          throw e;
        }
        lastWritten = text;
        knownChains = new HashSet<>(text.serviceChains());
        LOG.debug("wrote the rules of {} service ports ({} lines)", current.size(), restore.split("\n").length);
      }
      // Two processes per jump: checked on the first and the periodic syncs, not on every change.
      if (force || !jumpsInPlace) {
        for (ProxyRules.Jump jump : ProxyRules.JUMPS) {
          iptables.ensureJump(jump);
        }
        jumpsInPlace = true;
      }
      Instant now = clock.instant();
      for (int i = 0; i < carried; i++) {
        metrics.networkProgramming(Math.max(0, Duration.between(pendingTriggers.remove(), now).toNanos() / 1e9));
      }
      health.updated();
      metrics.synced(now.toEpochMilli());
      return true;
    } catch (IOException e) {
      LOG.error("failed to sync the iptables rules: {}", e.getMessage());
      knownChains = null; // read the table again: the write may have half happened
      lastWritten = null;
      jumpsInPlace = false;
      health.queued();
      return false;
    } finally {
      metrics.syncDuration((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * {@code kube-proxy --cleanup}: unhooks kube-proxy's chains from the built-in ones, then
   * empties and deletes every chain it owns in the nat and filter tables.
   */
  public static void cleanup(Iptables iptables) throws IOException {
    for (ProxyRules.Jump jump : ProxyRules.JUMPS) {
      iptables.deleteJump(jump);
    }
    StringBuilder text = new StringBuilder();
    for (String table : List.of("filter", "nat")) {
      List<String> chains = new ArrayList<>();
      for (String chain : chainsIn(iptables.save(table))) {
        if (ProxyRules.fixedChains(table).contains(chain) || ChainNames.isPerService(chain)) {
          chains.add(chain);
        }
      }
      if (chains.isEmpty()) {
        continue;
      }
      text.append('*').append(table).append('\n');
      chains.forEach(chain -> text.append(':').append(chain).append(" - [0:0]\n"));
      chains.forEach(chain -> text.append("-X ").append(chain).append('\n'));
      text.append("COMMIT\n");
    }
    if (!text.isEmpty()) {
      iptables.restore(text.toString());
    }
  }

  static Set<String> perServiceChains(String save) {
    Set<String> chains = new HashSet<>();
    for (String chain : chainsIn(save)) {
      if (ChainNames.isPerService(chain)) {
        chains.add(chain);
      }
    }
    return chains;
  }

  /** The chains an iptables-save table declares (":NAME POLICY [packets:bytes]" lines). */
  static List<String> chainsIn(String save) {
    List<String> chains = new ArrayList<>();
    for (String line : save.split("\n")) {
      if (line.startsWith(":")) {
        int space = line.indexOf(' ');
        chains.add(space < 0 ? line.substring(1) : line.substring(1, space));
      }
    }
    return chains;
  }
}
