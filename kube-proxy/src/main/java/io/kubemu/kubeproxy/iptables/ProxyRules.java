package io.kubemu.kubeproxy.iptables;

import static io.kubemu.kubeproxy.iptables.ChainNames.EXTERNAL_SERVICES;
import static io.kubemu.kubeproxy.iptables.ChainNames.FORWARD;
import static io.kubemu.kubeproxy.iptables.ChainNames.HOST_SERVICES;
import static io.kubemu.kubeproxy.iptables.ChainNames.MARK_MASQ;
import static io.kubemu.kubeproxy.iptables.ChainNames.NODE_PORTS;
import static io.kubemu.kubeproxy.iptables.ChainNames.POSTROUTING;
import static io.kubemu.kubeproxy.iptables.ChainNames.SERVICES;

import io.kubemu.kubeproxy.model.Endpoint;
import io.kubemu.kubeproxy.model.ServicePort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of kube-proxy's iptables mode for a set of service ports, as the text
 * {@code iptables-restore --noflush} reads: the filter table (REJECT for service ports without
 * ready endpoints, and for any other service CIDR traffic no rule translated; forwarding of
 * service traffic) and the nat table (KUBE-SERVICES → KUBE-SVC-* → KUBE-SEP-* DNAT, KUBE-NODEPORTS,
 * masquerading). The shape and wording are those of Kubernetes' proxier, so that
 * {@code iptables -t nat -S} reads as on a real node. Pure: the same ports give the same text.
 *
 * <p>One chain is kubemu's own, KUBE-HOST-SERVICES in filter OUTPUT: the host's own packets to a
 * ClusterIP keep, in the OUTPUT chains, the output interface the ClusterIP was routed to (the
 * default route) even after the DNAT sent them to a pod on the bridge. A machine that rejects
 * pod and service addresses on its external interface (ours do, for safety) would reject them;
 * this chain accepts exactly the packets translated from a ClusterIP to a pod address first.
 */
public final class ProxyRules {
  /** Kubernetes' {@code --iptables-masquerade-bit} default, 14: the mark 0x4000. */
  static final String MASQ_MARK = "0x4000";

  /**
   * @param clusterCIDR pod addresses ({@code --cluster-cidr}); traffic to a ClusterIP from elsewhere is
   *     masqueraded so that replies come back through this node. Empty: no such rule, as in Kubernetes.
   * @param serviceCIDR the ClusterIP range ({@code --service-cluster-ip-range}): what no rule translated
   *     there is rejected instead of leaving the machine
   */
  public record Config(String clusterCIDR, String serviceCIDR) {}

  /**
   * The rules for a set of service ports: the filter table, kube-proxy's fixed nat chains, and the
   * rules of each per-service nat chain; {@code stale} chains are to be emptied and deleted.
   */
  public record Text(String filter, List<String> natFixedRules, Map<String, List<String>> chainRules,
      Set<String> stale) {
    /** Whether writing this would change nothing after {@code written} was written. */
    public boolean sameAs(Text written) {
      return written != null && stale.isEmpty() && filter.equals(written.filter)
          && natFixedRules.equals(written.natFixedRules) && chainRules.equals(written.chainRules);
    }

    /** The per-service nat chains the ports need. */
    public Set<String> serviceChains() {
      return chainRules.keySet();
    }

    /** The whole text: every chain of kube-proxy's is declared (so emptied) and written. */
    public String restore() {
      return restore(Map.of());
    }

    /**
     * The text that turns what was {@code written} (per-service chain rules) into these rules: the
     * filter table and the fixed nat chains whole, of the per-service chains only those that changed.
     * With {@code --noflush}, chains the text does not name keep their rules.
     */
    public String restore(Map<String, List<String>> written) {
      List<String> chains = new ArrayList<>(fixedChains("nat"));
      List<String> rules = new ArrayList<>(natFixedRules);
      for (Map.Entry<String, List<String>> chain : chainRules.entrySet()) {
        if (!chain.getValue().equals(written.get(chain.getKey()))) {
          chains.add(chain.getKey());
          rules.addAll(chain.getValue());
        }
      }
      chains.addAll(stale);
      stale.forEach(chain -> rules.add("-X " + chain));
      StringBuilder text = new StringBuilder(filter);
      table(text, "nat", chains, rules);
      return text.toString();
    }
  }

  private final Config config;

  public ProxyRules(Config config) {
    this.config = config;
  }

  /**
   * The text for {@code ports}; {@code existingChains} are per-service chains found in the nat table
   * (or written before): those no port needs any more are emptied and deleted.
   */
  public Text render(List<ServicePort> ports, Collection<String> existingChains) {
    List<String> filter = new ArrayList<>();
    List<String> nat = new ArrayList<>();
    // Per-service chains in the order they are declared, each with its rules.
    Map<String, List<String>> chainRules = new LinkedHashMap<>();

    nat.add("-A " + POSTROUTING + " -m mark ! --mark " + MASQ_MARK + "/" + MASQ_MARK + " -j RETURN");
    nat.add("-A " + POSTROUTING + " -j MARK --xor-mark " + MASQ_MARK);
    nat.add("-A " + POSTROUTING + " -m comment --comment \"kubernetes service traffic requiring SNAT\""
        + " -j MASQUERADE --random-fully");
    nat.add("-A " + MARK_MASQ + " -j MARK --or-mark " + MASQ_MARK);

    List<String> serviceRules = new ArrayList<>();
    List<String> nodePortRules = new ArrayList<>();
    for (ServicePort port : ports) {
      String name = port.name().toString();
      String protocol = port.protocol().toLowerCase(Locale.ROOT);
      String match = " -m " + protocol + " -p " + protocol;
      String clusterIpMatch = match + " -d " + port.clusterIP() + " --dport " + port.port();
      if (port.endpoints().isEmpty()) {
        filter.add("-A " + SERVICES + comment(name + " has no endpoints") + clusterIpMatch + " -j REJECT");
        if (port.nodePort() > 0) {
          filter.add("-A " + EXTERNAL_SERVICES + comment(name + " has no endpoints")
              + " -m addrtype --dst-type LOCAL" + match + " --dport " + port.nodePort() + " -j REJECT");
        }
        continue;
      }
      String svcChain = ChainNames.service(port.name(), port.protocol());
      List<String> svcRules = new ArrayList<>();
      chainRules.put(svcChain, svcRules);
      serviceRules.add("-A " + SERVICES + comment(name + " cluster IP") + clusterIpMatch + " -j " + svcChain);
      if (port.nodePort() > 0) {
        String extChain = ChainNames.external(port.name(), port.protocol());
        nodePortRules.add("-A " + NODE_PORTS + comment(name) + match + " --dport " + port.nodePort() + " -j "
            + extChain);
        chainRules.put(extChain, List.of(
            "-A " + extChain + comment("masquerade traffic for " + name + " external destinations") + " -j "
                + MARK_MASQ,
            "-A " + extChain + " -j " + svcChain));
      }
      if (!config.clusterCIDR().isEmpty()) {
        svcRules.add("-A " + svcChain + comment(name + " cluster IP") + clusterIpMatch + " ! -s "
            + config.clusterCIDR() + " -j " + MARK_MASQ);
      }
      List<Endpoint> endpoints = port.endpoints();
      if (port.clientIPAffinity()) {
        for (Endpoint endpoint : endpoints) {
          String sepChain = ChainNames.endpoint(port.name(), port.protocol(), endpoint);
          svcRules.add("-A " + svcChain + comment(name + " -> " + endpoint) + " -m recent --name " + sepChain
              + " --rcheck --seconds " + port.affinityTimeoutSeconds() + " --reap -j " + sepChain);
        }
      }
      for (int i = 0; i < endpoints.size(); i++) {
        Endpoint endpoint = endpoints.get(i);
        String sepChain = ChainNames.endpoint(port.name(), port.protocol(), endpoint);
        String spread = i < endpoints.size() - 1
            ? " -m statistic --mode random --probability " + probability(endpoints.size() - i) : "";
        svcRules.add("-A " + svcChain + comment(name + " -> " + endpoint) + spread + " -j " + sepChain);
      }
      for (Endpoint endpoint : endpoints) {
        String sepChain = ChainNames.endpoint(port.name(), port.protocol(), endpoint);
        String sep = "-A " + sepChain + comment(name);
        String sticky = port.clientIPAffinity() ? " -m recent --name " + sepChain + " --set" : "";
        chainRules.put(sepChain, List.of(
            // A pod reaching itself through its service: without SNAT the reply would skip the DNAT.
            sep + " -s " + endpoint.ip() + " -j " + MARK_MASQ,
            sep + sticky + match + " -j DNAT --to-destination " + endpoint));
      }
    }
    nat.addAll(serviceRules);
    nat.add("-A " + SERVICES
        + comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain")
        // Not on loopback: DNAT from 127.0.0.1 to a pod needs route_localnet, which kubemu leaves alone
        // (Kubernetes' --iptables-localhost-nodeports=false); loopback NodePorts are the userspace mode's.
        + " -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j " + NODE_PORTS);
    nat.addAll(nodePortRules);

    Set<String> stale = new TreeSet<>();
    for (String chain : existingChains) {
      if (ChainNames.isPerService(chain) && !chainRules.containsKey(chain)) {
        stale.add(chain);
      }
    }

    filter.add("-A " + SERVICES + comment("service CIDR traffic that no service rule translated") + " -d "
        + config.serviceCIDR() + " -m conntrack ! --ctstate DNAT -j REJECT");
    if (!config.clusterCIDR().isEmpty()) {
      filter.add("-A " + HOST_SERVICES + comment("host traffic to a ClusterIP, translated to a pod") + " -d "
          + config.clusterCIDR() + " -m conntrack --ctstate DNAT --ctorigdst " + config.serviceCIDR() + " -j ACCEPT");
    }
    filter.add("-A " + FORWARD + " -m conntrack --ctstate INVALID -j DROP");
    filter.add("-A " + FORWARD + comment("kubernetes forwarding rules") + " -m mark --mark " + MASQ_MARK + "/"
        + MASQ_MARK + " -j ACCEPT");
    filter.add("-A " + FORWARD + comment("kubernetes forwarding conntrack rule")
        + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");

    StringBuilder filterText = new StringBuilder();
    table(filterText, "filter", fixedChains("filter"), filter);
    return new Text(filterText.toString(), List.copyOf(nat), chainRules, stale);
  }

  /** A rule in a built-in chain that sends packets into one of kube-proxy's chains. */
  public record Jump(String table, String builtinChain, List<String> args) {
    Jump(String table, String builtinChain, String comment, String target, boolean newOnly) {
      this(table, builtinChain, jumpArgs(comment, target, newOnly));
    }

    private static List<String> jumpArgs(String comment, String target, boolean newOnly) {
      List<String> args = new ArrayList<>();
      if (newOnly) {
        args.addAll(List.of("-m", "conntrack", "--ctstate", "NEW"));
      }
      args.addAll(List.of("-m", "comment", "--comment", comment, "-j", target));
      return List.copyOf(args);
    }
  }

  /** Where kube-proxy's chains hang from the built-in ones, as Kubernetes hooks them. */
  public static final List<Jump> JUMPS = List.of(
      new Jump("filter", "INPUT", "kubernetes externally-visible service portals", EXTERNAL_SERVICES, true),
      new Jump("filter", "FORWARD", "kubernetes externally-visible service portals", EXTERNAL_SERVICES, true),
      new Jump("filter", "FORWARD", "kubernetes forwarding rules", FORWARD, false),
      new Jump("filter", "OUTPUT", "kubernetes service portals", SERVICES, true),
      new Jump("filter", "FORWARD", "kubernetes service portals", SERVICES, true),
      new Jump("filter", "OUTPUT", "host traffic to service portals", HOST_SERVICES, false),
      new Jump("nat", "OUTPUT", "kubernetes service portals", SERVICES, false),
      new Jump("nat", "PREROUTING", "kubernetes service portals", SERVICES, false),
      new Jump("nat", "POSTROUTING", "kubernetes postrouting rules", POSTROUTING, false));

  /** The chains kube-proxy always has in {@code table} ("filter" or "nat"), besides the per-service ones. */
  public static List<String> fixedChains(String table) {
    return "nat".equals(table) ? List.of(SERVICES, NODE_PORTS, POSTROUTING, MARK_MASQ)
        : List.of(SERVICES, EXTERNAL_SERVICES, FORWARD, HOST_SERVICES);
  }

  private static void table(StringBuilder text, String table, List<String> chains, List<String> rules) {
    text.append('*').append(table).append('\n');
    for (String chain : chains) {
      text.append(':').append(chain).append(" - [0:0]\n");
    }
    for (String rule : rules) {
      text.append(rule).append('\n');
    }
    text.append("COMMIT\n");
  }

  /** A comment match; quoted when the text has spaces, as kube-proxy writes them. */
  private static String comment(String text) {
    return " -m comment --comment " + (text.contains(" ") ? "\"" + text + "\"" : text);
  }

  /** The chance of taking the i-th of n endpoints when the earlier ones were not taken: 1/(n-i), "%0.10f". */
  static String probability(int remaining) {
    return String.format(Locale.ROOT, "%.10f", 1.0 / remaining);
  }
}
