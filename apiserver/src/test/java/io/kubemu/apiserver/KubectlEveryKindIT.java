package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every served kind through the real kubectl: one object of each is applied from one
 * manifest, then listed, listed wide, across namespaces, as YAML and described, with the
 * columns kube-apiserver prints.
 */
class KubectlEveryKindIT {
  @RegisterExtension
  static final ControlPlane cluster = new ControlPlane();

  static final String MANIFEST = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: kinds}
      ---
      apiVersion: v1
      kind: Node
      metadata:
        name: node-1
        labels: {kubernetes.io/hostname: node-1}
      spec: {podCIDR: 10.42.1.0/24}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, namespace: kinds, labels: {app: web}}
      spec:
        containers: [{name: web, image: 'nginx:1.25', ports: [{containerPort: 80}]}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: kinds}
      spec:
        selector: {app: web}
        ports: [{port: 80, targetPort: 80}]
      ---
      apiVersion: v1
      kind: Endpoints
      metadata: {name: web, namespace: kinds}
      subsets: [{addresses: [{ip: 10.42.1.7}], ports: [{port: 80}]}]
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: web-abcde, namespace: kinds, labels: {kubernetes.io/service-name: web}}
      addressType: IPv4
      endpoints: [{addresses: [10.42.1.7], conditions: {ready: true}}]
      ports: [{name: '', port: 80, protocol: TCP}]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: kinds}
      data: {mode: fast}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: token, namespace: kinds}
      stringData: {password: s3cret}
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: builder, namespace: kinds}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: kinds}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, image: 'nginx:1.25'}]
      ---
      apiVersion: apps/v1
      kind: ReplicaSet
      metadata: {name: cache, namespace: kinds}
      spec:
        replicas: 1
        selector: {matchLabels: {app: cache}}
        template:
          metadata: {labels: {app: cache}}
          spec:
            containers: [{name: cache, image: 'redis:7'}]
      ---
      apiVersion: coordination.k8s.io/v1
      kind: Lease
      metadata: {name: node-1, namespace: kinds}
      spec: {holderIdentity: node-1, leaseDurationSeconds: 40}
      ---
      apiVersion: v1
      kind: Event
      metadata: {name: web-1.started, namespace: kinds}
      involvedObject: {kind: Pod, name: web-1, namespace: kinds}
      reason: Started
      message: Started container web
      type: Normal
      source: {component: kubelet, host: node-1}
      count: 1
      """;

  @BeforeAll
  static void applyManifest() throws Exception {
    Kubectl kubectl = cluster.kubectl();
    Kubectl.Run applied = kubectl.run("apply", "-f", kubectl.file("kinds.yaml", MANIFEST).toString());
    assertThat(applied.code()).as(applied.out()).isZero();
  }

  /** The kind, the object, the header kubectl prints, the header with {@code -o wide}, a value in the row. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      pods            | web-1       | NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES | Pending
      services        | web         | NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE | SELECTOR | 80/TCP
      endpoints       | web         | NAME ENDPOINTS AGE | NAME ENDPOINTS AGE | 10.42.1.7:80
      endpointslices  | web-abcde   | NAME ADDRESSTYPE PORTS ENDPOINTS AGE | NAME ADDRESSTYPE PORTS ENDPOINTS AGE | IPv4
      configmaps      | settings    | NAME DATA AGE | NAME DATA AGE | 1
      secrets         | token       | NAME TYPE DATA AGE | NAME TYPE DATA AGE | Opaque
      serviceaccounts | builder     | NAME SECRETS AGE | NAME SECRETS AGE | 0
      deployments     | web         | NAME READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR | 0/2
      replicasets     | cache       | NAME DESIRED CURRENT READY AGE | CONTAINERS IMAGES SELECTOR | cache
      leases          | node-1      | NAME HOLDER AGE | NAME HOLDER AGE | node-1
      events          | web-1.started | LAST SEEN TYPE REASON OBJECT MESSAGE | LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME | Started container web
      """)
  void getPrintsKubernetesColumnsForEveryNamespacedKind(String kind, String name, String header, String wideHeader,
      String value) throws Exception {
    Kubectl.Run plain = cluster.kubectl().run("get", kind, "-n", "kinds");
    assertThat(plain.code()).as(plain.out()).isZero();
    assertThat(words(firstLine(plain))).startsWith(header);
    assertThat(plain.out()).contains(value);
    if (!kind.equals("events")) {
      assertThat(plain.out().lines().skip(1)).anySatisfy(row -> assertThat(row).startsWith(name + " "));
    }

    Kubectl.Run wide = cluster.kubectl().run("get", kind, "-n", "kinds", "-o", "wide");
    assertThat(wide.code()).as(wide.out()).isZero();
    assertThat(words(firstLine(wide))).contains(wideHeader);

    Kubectl.Run everywhere = cluster.kubectl().run("get", kind, "-A", "--show-labels");
    assertThat(everywhere.code()).as(everywhere.out()).isZero();
    assertThat(words(firstLine(everywhere))).startsWith("NAMESPACE ").endsWith(" LABELS");
    assertThat(everywhere.out()).contains("kinds");

    Kubectl.Run yaml = cluster.kubectl().run("get", kind, name, "-n", "kinds", "-o", "yaml");
    assertThat(yaml.code()).as(yaml.out()).isZero();
    assertThat(yaml.out()).contains("name: " + name, "namespace: kinds", "resourceVersion:", "uid:");

    Kubectl.Run described = cluster.kubectl().run("describe", kind, name, "-n", "kinds");
    assertThat(described.code()).as(described.out()).isZero();
    assertThat(described.out()).containsPattern("(?m)^Name:\\s+" + java.util.regex.Pattern.quote(name) + "$");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      nodes      | node-1 | NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME
      namespaces | kinds  | NAME STATUS AGE | NAME STATUS AGE
      """)
  void getPrintsKubernetesColumnsForClusterScopedKinds(String kind, String name, String header, String wideHeader)
      throws Exception {
    Kubectl.Run plain = cluster.kubectl().run("get", kind);
    assertThat(plain.code()).as(plain.out()).isZero();
    assertThat(words(firstLine(plain))).startsWith(header);
    assertThat(plain.out().lines().skip(1)).anySatisfy(row -> assertThat(row).startsWith(name + " "));
    assertThat(words(firstLine(cluster.kubectl().run("get", kind, "-o", "wide")))).contains(wideHeader);
    assertThat(cluster.kubectl().run("get", kind, name, "-o", "yaml").out()).contains("name: " + name, "uid:");
    Kubectl.Run described = cluster.kubectl().run("describe", kind, name);
    assertThat(described.code()).as(described.out()).isZero();
    assertThat(described.out()).containsPattern("(?m)^Name:\\s+" + name + "$");
  }

  private static String firstLine(Kubectl.Run run) {
    return run.out().lines().findFirst().orElse("");
  }

  /** A header with its column gaps closed up, so headers compare as words. */
  private static String words(String line) {
    return line.trim().replaceAll("\\s+", " ");
  }
}
