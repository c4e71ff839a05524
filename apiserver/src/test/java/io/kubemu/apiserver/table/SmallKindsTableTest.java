package io.kubemu.apiserver.table;

import static io.kubemu.apiserver.table.TableFixtures.ago;
import static io.kubemu.apiserver.table.TableFixtures.cells;
import static io.kubemu.apiserver.table.TableFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ConfigMaps, Secrets, ServiceAccounts, Namespaces and Leases: a count or a state beside NAME and AGE. */
class SmallKindsTableTest {

  private static String object(String kind, String metadata, String body) {
    return """
        {"kind":"%s","metadata":{"name":"app","creationTimestamp":"%s"%s}%s}
        """.formatted(kind, ago(Duration.ofDays(90).plusHours(5)), metadata, body);
  }

  @Test
  void kubectlShowsTheseColumns() {
    assertThat(headers("configmaps", true)).containsExactly("NAME", "DATA", "AGE");
    assertThat(headers("secrets", true)).containsExactly("NAME", "TYPE", "DATA", "AGE");
    assertThat(headers("serviceaccounts", true)).containsExactly("NAME", "SECRETS", "AGE");
    assertThat(headers("namespaces", true)).containsExactly("NAME", "STATUS", "AGE");
    assertThat(headers("leases", true)).containsExactly("NAME", "HOLDER", "AGE");
  }

  @Test
  void aConfigMapCountsItsTextAndBinaryKeys() {
    String config = object("ConfigMap", "", ",\"data\":{\"a\":\"1\",\"b\":\"2\"},\"binaryData\":{\"logo\":\"iVBO\"}");

    assertThat(cells("configmaps", config)).containsExactly("app", 3L, "90d");
    assertThat(cells("configmaps", object("ConfigMap", "", ""))).containsExactly("app", 0L, "90d");
  }

  @Test
  void aSecretShowsItsTypeAndKeyCount() {
    String tls = object("Secret", "",
        ",\"type\":\"kubernetes.io/tls\",\"data\":{\"tls.crt\":\"LS0t\",\"tls.key\":\"LS0t\"}");

    assertThat(cells("secrets", tls)).containsExactly("app", "kubernetes.io/tls", 2L, "90d");
  }

  @Test
  void aSecretWithoutTypeIsOpaqueAndStringDataKeysCountOnce() {
    String secret = object("Secret", "",
        ",\"data\":{\"user\":\"YWRtaW4=\"},\"stringData\":{\"user\":\"root\",\"pw\":\"x\"}");

    assertThat(cells("secrets", secret)).containsExactly("app", "Opaque", 2L, "90d");
  }

  @Test
  void aServiceAccountCountsItsSecrets() {
    assertThat(cells("serviceaccounts", object("ServiceAccount", "", ",\"secrets\":[{\"name\":\"app-token\"}]")))
        .containsExactly("app", 1L, "90d");
    assertThat(cells("serviceaccounts", object("ServiceAccount", "", ""))).containsExactly("app", 0L, "90d");
  }

  @Test
  void aNamespaceShowsItsPhaseAndTheOneKubernetesWouldHaveSet() {
    String deletion = ",\"deletionTimestamp\":\"" + ago(Duration.ofSeconds(3)) + "\"";

    assertThat(cells("namespaces", object("Namespace", "", ",\"status\":{\"phase\":\"Active\"}")))
        .containsExactly("app", "Active", "90d");
    assertThat(cells("namespaces", object("Namespace", deletion, ",\"status\":{\"phase\":\"Terminating\"}")))
        .containsExactly("app", "Terminating", "90d");
    assertThat(cells("namespaces", object("Namespace", "", ""))).containsExactly("app", "Active", "90d");
    assertThat(cells("namespaces", object("Namespace", deletion, ""))).containsExactly("app", "Terminating", "90d");
  }

  @Test
  void aLeaseShowsItsHolderOrNothing() {
    String held = object("Lease", "", ",\"spec\":{\"holderIdentity\":\"node-1\",\"leaseDurationSeconds\":40}");

    assertThat(cells("leases", held)).containsExactly("app", "node-1", "90d");
    assertThat(cells("leases", object("Lease", "", ",\"spec\":{}"))).containsExactly("app", "", "90d");
  }
}
