package io.kubemu.kubeproxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.kubeproxy.model.Endpoint;
import io.kubemu.kubeproxy.model.ServicePort;
import io.kubemu.kubeproxy.model.ServicePortName;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProxyRulesTest {
  private static final ProxyRules RULES = new ProxyRules(new ProxyRules.Config("10.42.0.0/16", "10.43.0.0/16"));

  private static final String FILTER_TAIL = """
      -A KUBE-SERVICES -m comment --comment "service CIDR traffic that no service rule translated" \
      -d 10.43.0.0/16 -m conntrack ! --ctstate DNAT -j REJECT
      -A KUBE-HOST-SERVICES -m comment --comment "host traffic to a ClusterIP, translated to a pod" \
      -d 10.42.0.0/16 -m conntrack --ctstate DNAT --ctorigdst 10.43.0.0/16 -j ACCEPT
      -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
      -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
      -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" \
      -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
      COMMIT
      """;

  private static final String NAT_HEAD = """
      *nat
      :KUBE-SERVICES - [0:0]
      :KUBE-NODEPORTS - [0:0]
      :KUBE-POSTROUTING - [0:0]
      :KUBE-MARK-MASQ - [0:0]
      """;

  private static final String NAT_FIXED = """
      -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
      -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
      -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
      -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
      """;

  private static final String NODEPORTS_LAST = "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports;"
      + " NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8"
      + " -j KUBE-NODEPORTS\n";

  private static ServicePort port(String name, String clusterIP, int port, int nodePort, Endpoint... endpoints) {
    return new ServicePort(new ServicePortName("default", name, "http"), clusterIP, port, "TCP", nodePort, false,
        ServicePort.DEFAULT_AFFINITY_TIMEOUT_SECONDS, List.of(endpoints));
  }

  private static String filterHead() {
    return """
        *filter
        :KUBE-SERVICES - [0:0]
        :KUBE-EXTERNAL-SERVICES - [0:0]
        :KUBE-FORWARD - [0:0]
        :KUBE-HOST-SERVICES - [0:0]
        """;
  }

  @Test
  void serviceWithThreeEndpointsSpreadsOverThemWithTheStatisticMatch() {
    ProxyRules.Text text = RULES.render(List.of(port("nginx", "10.43.0.10", 80, 0,
        new Endpoint("10.42.1.4", 8080), new Endpoint("10.42.1.2", 8080), new Endpoint("10.42.1.3", 8080))), Set.of());
    assertThat(text.restore()).isEqualTo(filterHead() + FILTER_TAIL + NAT_HEAD + """
        :KUBE-SVC-P4Q3KNUAWJVP4ILH - [0:0]
        :KUBE-SEP-HDFR55N2U6XQFVIQ - [0:0]
        :KUBE-SEP-M74BTUWXTXWZFYAK - [0:0]
        :KUBE-SEP-Z3HYIU456VAQRA23 - [0:0]
        """ + NAT_FIXED + """
        -A KUBE-SERVICES -m comment --comment "default/nginx:http cluster IP" -m tcp -p tcp -d 10.43.0.10 --dport 80 \
        -j KUBE-SVC-P4Q3KNUAWJVP4ILH
        """ + NODEPORTS_LAST + """
        -A KUBE-SVC-P4Q3KNUAWJVP4ILH -m comment --comment "default/nginx:http cluster IP" -m tcp -p tcp \
        -d 10.43.0.10 --dport 80 ! -s 10.42.0.0/16 -j KUBE-MARK-MASQ
        -A KUBE-SVC-P4Q3KNUAWJVP4ILH -m comment --comment "default/nginx:http -> 10.42.1.2:8080" \
        -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-HDFR55N2U6XQFVIQ
        -A KUBE-SVC-P4Q3KNUAWJVP4ILH -m comment --comment "default/nginx:http -> 10.42.1.3:8080" \
        -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-M74BTUWXTXWZFYAK
        -A KUBE-SVC-P4Q3KNUAWJVP4ILH -m comment --comment "default/nginx:http -> 10.42.1.4:8080" \
        -j KUBE-SEP-Z3HYIU456VAQRA23
        -A KUBE-SEP-HDFR55N2U6XQFVIQ -m comment --comment default/nginx:http -s 10.42.1.2 -j KUBE-MARK-MASQ
        -A KUBE-SEP-HDFR55N2U6XQFVIQ -m comment --comment default/nginx:http -m tcp -p tcp \
        -j DNAT --to-destination 10.42.1.2:8080
        -A KUBE-SEP-M74BTUWXTXWZFYAK -m comment --comment default/nginx:http -s 10.42.1.3 -j KUBE-MARK-MASQ
        -A KUBE-SEP-M74BTUWXTXWZFYAK -m comment --comment default/nginx:http -m tcp -p tcp \
        -j DNAT --to-destination 10.42.1.3:8080
        -A KUBE-SEP-Z3HYIU456VAQRA23 -m comment --comment default/nginx:http -s 10.42.1.4 -j KUBE-MARK-MASQ
        -A KUBE-SEP-Z3HYIU456VAQRA23 -m comment --comment default/nginx:http -m tcp -p tcp \
        -j DNAT --to-destination 10.42.1.4:8080
        COMMIT
        """);
    assertThat(text.serviceChains()).containsExactly("KUBE-SVC-P4Q3KNUAWJVP4ILH", "KUBE-SEP-HDFR55N2U6XQFVIQ",
        "KUBE-SEP-M74BTUWXTXWZFYAK", "KUBE-SEP-Z3HYIU456VAQRA23");
  }

  @Test
  void serviceWithoutEndpointsIsRejectedInTheFilterTableAndHasNoNatChains() {
    ProxyRules.Text text = RULES.render(List.of(port("empty", "10.43.0.20", 80, 30080)), Set.of());
    assertThat(text.restore()).isEqualTo(filterHead() + """
        -A KUBE-SERVICES -m comment --comment "default/empty:http has no endpoints" -m tcp -p tcp -d 10.43.0.20 \
        --dport 80 -j REJECT
        -A KUBE-EXTERNAL-SERVICES -m comment --comment "default/empty:http has no endpoints" \
        -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT
        """ + FILTER_TAIL + NAT_HEAD + NAT_FIXED + NODEPORTS_LAST + "COMMIT\n");
    assertThat(text.serviceChains()).isEmpty();
  }

  @Test
  void nodePortGoesThroughAnExternalChainThatMasquerades() {
    String text = RULES.render(List.of(port("web", "10.43.0.30", 80, 30080, new Endpoint("10.42.1.2", 8080))),
        Set.of()).restore();
    assertThat(text).contains(":KUBE-EXT-CDGGSHYLG3RE2FKL - [0:0]\n")
        .contains(NODEPORTS_LAST + """
            -A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 \
            -j KUBE-EXT-CDGGSHYLG3RE2FKL
            """).contains("""
            -A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "masquerade traffic for default/web:http external \
            destinations" -j KUBE-MARK-MASQ
            -A KUBE-EXT-CDGGSHYLG3RE2FKL -j KUBE-SVC-CDGGSHYLG3RE2FKL
            """)
        // one endpoint: no statistic match
        .contains("-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment \"default/web:http -> 10.42.1.2:8080\""
            + " -j KUBE-SEP-PLLJBTOKCJEJKQRV\n");
  }

  @Test
  void clientIpAffinityChecksRecentListsBeforeSpreadingAndSetsThemOnDnat() {
    ServicePort sticky = new ServicePort(new ServicePortName("default", "sticky", "http"), "10.43.0.40", 80, "TCP", 0,
        true, 600, List.of(new Endpoint("10.42.1.7", 80), new Endpoint("10.42.1.8", 80)));
    String text = RULES.render(List.of(sticky), Set.of()).restore();
    assertThat(text).contains("""
        -A KUBE-SVC-T2ECBIYT2WDZZK45 -m comment --comment "default/sticky:http -> 10.42.1.7:80" \
        -m recent --name KUBE-SEP-ZQBZ376URSUUNTWZ --rcheck --seconds 600 --reap -j KUBE-SEP-ZQBZ376URSUUNTWZ
        -A KUBE-SVC-T2ECBIYT2WDZZK45 -m comment --comment "default/sticky:http -> 10.42.1.8:80" \
        -m recent --name KUBE-SEP-NUBIHJF62W6ICTMB --rcheck --seconds 600 --reap -j KUBE-SEP-NUBIHJF62W6ICTMB
        -A KUBE-SVC-T2ECBIYT2WDZZK45 -m comment --comment "default/sticky:http -> 10.42.1.7:80" \
        -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZQBZ376URSUUNTWZ
        -A KUBE-SVC-T2ECBIYT2WDZZK45 -m comment --comment "default/sticky:http -> 10.42.1.8:80" \
        -j KUBE-SEP-NUBIHJF62W6ICTMB
        """).contains("""
        -A KUBE-SEP-ZQBZ376URSUUNTWZ -m comment --comment default/sticky:http -s 10.42.1.7 -j KUBE-MARK-MASQ
        -A KUBE-SEP-ZQBZ376URSUUNTWZ -m comment --comment default/sticky:http \
        -m recent --name KUBE-SEP-ZQBZ376URSUUNTWZ --set -m tcp -p tcp -j DNAT --to-destination 10.42.1.7:80
        """);
  }

  @Test
  void chainsNoServiceNeedsAnyMoreAreEmptiedAndDeleted() {
    String text = RULES.render(List.of(port("web", "10.43.0.30", 80, 0, new Endpoint("10.42.1.2", 8080))),
        Set.of("KUBE-SVC-CDGGSHYLG3RE2FKL", "KUBE-SVC-GONE000000000000", "KUBE-SEP-GONE000000000000")).restore();
    assertThat(text).contains(":KUBE-SEP-GONE000000000000 - [0:0]\n:KUBE-SVC-GONE000000000000 - [0:0]\n")
        .endsWith("-X KUBE-SEP-GONE000000000000\n-X KUBE-SVC-GONE000000000000\nCOMMIT\n")
        .doesNotContain("-X KUBE-SVC-CDGGSHYLG3RE2FKL");
  }

  @Test
  void afterAWriteOnlyTheChainsThatChangedAreWrittenAgain() {
    ProxyRules.Text before = RULES.render(List.of(port("nginx", "10.43.0.10", 80, 0,
        new Endpoint("10.42.1.2", 8080), new Endpoint("10.42.1.3", 8080))), Set.of());
    ProxyRules.Text after = RULES.render(List.of(port("nginx", "10.43.0.10", 80, 0,
        new Endpoint("10.42.1.2", 8080), new Endpoint("10.42.1.3", 8080), new Endpoint("10.42.1.4", 8080))),
        before.serviceChains());
    String partial = after.restore(before.chainRules());
    // The service chain changed (three endpoints now) and one endpoint chain is new; the others stay.
    assertThat(partial).contains(":KUBE-SVC-P4Q3KNUAWJVP4ILH - [0:0]\n", ":KUBE-SEP-Z3HYIU456VAQRA23 - [0:0]\n",
            "-A KUBE-SEP-Z3HYIU456VAQRA23 ")
        .doesNotContain("KUBE-SEP-HDFR55N2U6XQFVIQ - [0:0]", "-A KUBE-SEP-HDFR55N2U6XQFVIQ",
            "KUBE-SEP-M74BTUWXTXWZFYAK - [0:0]")
        .contains(":KUBE-SERVICES - [0:0]\n", "-A KUBE-SERVICES -m comment --comment \"default/nginx:http cluster IP\"");
    assertThat(after.sameAs(before)).isFalse();
    assertThat(after.sameAs(after)).isTrue();
    assertThat(after.restore(after.chainRules())).doesNotContain(":KUBE-SEP-", ":KUBE-SVC-", "-A KUBE-SEP-",
        "-A KUBE-SVC-");
  }

  @Test
  void withoutClusterCidrTrafficToAClusterIpIsNotMasqueraded() {
    ProxyRules rules = new ProxyRules(new ProxyRules.Config("", "10.43.0.0/16"));
    String text = rules.render(List.of(port("web", "10.43.0.30", 80, 0, new Endpoint("10.42.1.2", 8080))), Set.of())
        .restore();
    assertThat(text).doesNotContain("! -s").doesNotContain("-A KUBE-HOST-SERVICES");
  }

  @Test
  void probabilitiesAreFormattedAsKubernetesDoes() {
    assertThat(ProxyRules.probability(3)).isEqualTo("0.3333333333");
    assertThat(ProxyRules.probability(2)).isEqualTo("0.5000000000");
    assertThat(ProxyRules.probability(10)).isEqualTo("0.1000000000");
  }
}
