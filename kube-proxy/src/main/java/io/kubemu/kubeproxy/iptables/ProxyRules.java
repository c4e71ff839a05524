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
import java.util.LinkedHashSet;
import java.util.List;
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

  /** The restore text, and the per-service nat chains it declares (to tell which older ones to remove). */
  public record Text(String restore, Set<String> serviceChains) {}

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
    List<String> natChains = new ArrayList<>(fixedChains("nat"));
    List<String> nat = new ArrayList<>();
    Set<String> serviceChains = new LinkedHashSet<>();

    nat.add("-A " + POSTROUTING + " -m mark ! --mark " + MASQ_MARK + "/" + MASQ_MARK + " -j RETURN");
    nat.add("-A " + POSTROUTING + " -j MARK --xor-mark " + MASQ_MARK);
    nat.add("-A " + POSTROUTING + " -m comment --comment \"kubernetes service traffic requiring SNAT\""
        + " -j MASQUERADE --random-fully");
    nat.add("-A " + MARK_MASQ + " -j MARK --or-mark " + MASQ_MARK);

    List<String> serviceRules = new ArrayList<>();
    List<String> nodePortRules = new ArrayList<>();
    List<String> perServiceRules = new ArrayList<>();
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
      serviceChains.add(svcChain);
      serviceRules.add("-A " + SERVICES + comment(name + " cluster IP") + clusterIpMatch + " -j " + svcChain);
      if (port.nodePort() > 0) {
        String extChain = ChainNames.external(port.name(), port.protocol());
        serviceChains.add(extChain);
        nodePortRules.add("-A " + NODE_PORTS + comment(name) + match + " --dport " + port.nodePort() + " -j "
            + extChain);
        perServiceRules.add("-A " + extChain + comment("masquerade traffic for " + name + " external destinations")
            + " -j " + MARK_MASQ);
        perServiceRules.add("-A " + extChain + " -j " + svcChain);
      }
      if (!config.clusterCIDR().isEmpty()) {
        perServiceRules.add("-A " + svcChain + comment(name + " cluster IP") + clusterIpMatch + " ! -s "
            + config.clusterCIDR() + " -j " + MARK_MASQ);
      }
      List<Endpoint> endpoints = port.endpoints();
      if (port.clientIPAffinity()) {
        for (Endpoint endpoint : endpoints) {
          String sepChain = ChainNames.endpoint(port.name(), port.protocol(), endpoint);
          perServiceRules.add("-A " + svcChain + comment(name + " -> " + endpoint) + " -m recent --name " + sepChain
              + " --rcheck --seconds " + port.affinityTimeoutSeconds() + " --reap -j " + sepChain);
        }
      }
      for (int i = 0; i < endpoints.size(); i++) {
        Endpoint endpoint = endpoints.get(i);
        String sepChain = ChainNames.endpoint(port.name(), port.protocol(), endpoint);
        String spread = i < endpoints.size() - 1
            ? " -m statistic --mode random --probability " + probability(endpoints.size() - i) : "";
        perServiceRules.add("-A " + svcChain + comment(name + " -> " + endpoint) + spread + " -j " + sepChain);
      }
      for (Endpoint endpoint : endpoints) {
        String sepChain = ChainNames.endpoint(port.name(), port.protocol(), endpoint);
        serviceChains.add(sepChain);
        String sep = "-A " + sepChain + comment(name);
        // A pod reaching itself through its service: without SNAT the reply would skip the DNAT.
        perServiceRules.add(sep + " -s " + endpoint.ip() + " -j " + MARK_MASQ);
        String sticky = port.clientIPAffinity() ? " -m recent --name " + sepChain + " --set" : "";
        perServiceRules.add(sep + sticky + match + " -j DNAT --to-destination " + endpoint);
      }
    }
    nat.addAll(serviceRules);
    nat.add("-A " + SERVICES
        + comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain")
        // Not on loopback: DNAT from 127.0.0.1 to a pod needs route_localnet, which kubemu leaves alone
        // (Kubernetes' --iptables-localhost-nodeports=false); loopback NodePorts are the userspace mode's.
        + " -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j " + NODE_PORTS);
    nat.addAll(nodePortRules);
    nat.addAll(perServiceRules);
    natChains.addAll(serviceChains);

    Set<String> stale = new TreeSet<>();
    for (String chain : existingChains) {
      if (ChainNames.isPerService(chain) && !serviceChains.contains(chain)) {
        stale.add(chain);
      }
    }
    natChains.addAll(stale);
    for (String chain : stale) {
      nat.add("-X " + chain);
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

    StringBuilder text = new StringBuilder();
    table(text, "filter", fixedChains("filter"), filter);
    table(text, "nat", natChains, nat);
    return new Text(text.toString(), serviceChains);
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
