package io.kubemu.apiserver.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.admission.Admission;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.resource.Resources;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAllocationTest {
  static final ObjectMapper json = new ObjectMapper();
  static final ResourceType services = new Resources().find("", "v1", "services").orElseThrow();
  static final ResourceType configMaps = new Resources().find("", "v1", "configmaps").orElseThrow();

  final ServiceIPAllocator ips = new ServiceIPAllocator(ServiceIPRange.parse("10.43.0.0/16"));
  final PortAllocator ports = new PortAllocator(PortRange.parse("30000-32767"));
  final ServiceAllocation allocation = new ServiceAllocation(ips, ports);
  final Admission admission = new Admission();

  static ObjectNode service(String spec) {
    try {
      return (ObjectNode) json.readTree("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":" + spec + "}");
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** What the apiserver does to a new Service before it allocates: defaults, the registry's preparation, validation. */
  Transaction create(ObjectNode service) {
    admission.admit(services, service, null);
    admission.validateCreate(services, service);
    return allocation.allocateCreate(services, service);
  }

  Transaction update(ObjectNode service, ObjectNode old) {
    admission.admit(services, service, old);
    admission.validateUpdate(services, service, old);
    return allocation.allocateUpdate(services, service, old);
  }

  static ApiException refusal(Runnable allocate) {
    try {
      allocate.run();
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  void aClusterIPServiceGetsAnAddressFromTheRangeAndItsFamilyFields() {
    ObjectNode web = service("{\"ports\":[{\"port\":80}]}");
    create(web).commit();
    String ip = web.at("/spec/clusterIP").asText();
    assertThat(ip).startsWith("10.43.");
    assertThat(web.at("/spec/clusterIPs").toString()).isEqualTo("[\"" + ip + "\"]");
    assertThat(web.at("/spec/ipFamilies").toString()).isEqualTo("[\"IPv4\"]");
    assertThat(web.at("/spec/ipFamilyPolicy").asText()).isEqualTo("SingleStack");
    assertThat(web.at("/spec/ports/0/nodePort").isMissingNode()).isTrue();
    assertThat(ips.has(ip)).isTrue();
  }

  @Test
  void headlessAndExternalNameServicesGetNoAddress() {
    ObjectNode headless = service("{\"clusterIP\":\"None\",\"selector\":{\"app\":\"db\"}}");
    ObjectNode headlessWithoutSelector = service("{\"clusterIP\":\"None\"}");
    ObjectNode external = service("{\"type\":\"ExternalName\",\"externalName\":\"example.com\"}");
    create(headless).commit();
    create(headlessWithoutSelector).commit();
    create(external).commit();
    assertThat(ips.used()).isZero();
    assertThat(headless.at("/spec/clusterIPs").toString()).isEqualTo("[\"None\"]");
    assertThat(headless.at("/spec/ipFamilyPolicy").asText()).isEqualTo("SingleStack");
    // Kubernetes' special case: a headless service without a selector asks for both families.
    assertThat(headlessWithoutSelector.at("/spec/ipFamilyPolicy").asText()).isEqualTo("RequireDualStack");
    assertThat(headlessWithoutSelector.at("/spec/ipFamilies").toString()).isEqualTo("[\"IPv4\",\"IPv6\"]");
    assertThat(external.at("/spec").has("clusterIP")).isFalse();
    assertThat(external.at("/spec").has("ipFamilies")).isFalse();
  }

  @Test
  void aChosenAddressThatIsTakenOrOutOfRangeIsRefusedAsKubernetesDoes() {
    create(service("{\"clusterIP\":\"10.43.0.5\",\"ports\":[{\"port\":80}]}")).commit();
    ApiException taken = refusal(() -> create(service("{\"clusterIP\":\"10.43.0.5\",\"ports\":[{\"port\":80}]}")));
    assertThat(taken.code()).isEqualTo(422);
    assertThat(taken.getMessage()).isEqualTo("Service \"web\" is invalid: spec.clusterIPs: Invalid value: "
        + "[]string{\"10.43.0.5\"}: failed to allocate IP 10.43.0.5: provided IP is already allocated");
    ApiException outside = refusal(() -> create(service("{\"clusterIP\":\"10.96.0.5\",\"ports\":[{\"port\":80}]}")));
    assertThat(outside.getMessage()).isEqualTo("Service \"web\" is invalid: spec.clusterIPs: Invalid value: "
        + "[]string{\"10.96.0.5\"}: failed to allocate IP 10.96.0.5: provided IP is not in the valid range. "
        + "The range of valid IPs is 10.43.0.0/16");
    ApiException garbage = refusal(() -> create(service("{\"clusterIP\":\"10.43.0.300\",\"ports\":[{\"port\":80}]}")));
    assertThat(garbage.getMessage()).endsWith("spec.clusterIPs[0]: Invalid value: \"10.43.0.300\": must be a valid IP "
        + "address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    assertThat(ips.used()).isEqualTo(1);
  }

  @Test
  void nodePortServicesGetOnePortPerServicePortAndAChosenTakenPortIsRefused() {
    ObjectNode dns = service("{\"type\":\"NodePort\",\"ports\":[{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\"},"
        + "{\"name\":\"dns-tcp\",\"port\":53,\"protocol\":\"TCP\"},{\"name\":\"web\",\"port\":80,\"nodePort\":30080}]}");
    create(dns).commit();
    int shared = dns.at("/spec/ports/0/nodePort").asInt();
    assertThat(shared).isBetween(30000, 32767);
    assertThat(dns.at("/spec/ports/1/nodePort").asInt()).isEqualTo(shared);
    assertThat(dns.at("/spec/ports/2/nodePort").asInt()).isEqualTo(30080);
    assertThat(ports.used()).isEqualTo(2);

    ApiException taken = refusal(() -> create(
        service("{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30080}]}")));
    assertThat(taken.code()).isEqualTo(422);
    assertThat(taken.getMessage()).isEqualTo(
        "Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
    assertThat(ips.used()).isEqualTo(1); // the refused service's ClusterIP went back
  }

  @Test
  void anUpdateThatLeavesAllocatedValuesOutKeepsThem() {
    ObjectNode stored = service("{\"type\":\"NodePort\",\"ports\":[{\"name\":\"http\",\"port\":80}]}");
    create(stored).commit();
    ObjectNode resent = service("{\"type\":\"NodePort\",\"ports\":[{\"name\":\"http\",\"port\":80}]}");
    update(resent, stored).commit();
    assertThat(resent.at("/spec/clusterIP")).isEqualTo(stored.at("/spec/clusterIP"));
    assertThat(resent.at("/spec/clusterIPs")).isEqualTo(stored.at("/spec/clusterIPs"));
    assertThat(resent.at("/spec/ports/0/nodePort")).isEqualTo(stored.at("/spec/ports/0/nodePort"));
    assertThat(ips.used()).isEqualTo(1);
    assertThat(ports.used()).isEqualTo(1);
  }

  @Test
  void changingTheTypeAllocatesAndReleasesWhenTheWriteCommits() {
    ObjectNode clusterIP = service("{\"ports\":[{\"port\":80}]}");
    create(clusterIP).commit();
    ObjectNode nodePort = clusterIP.deepCopy();
    nodePort.withObject("spec").put("type", "NodePort");
    update(nodePort, clusterIP).commit();
    int port = nodePort.at("/spec/ports/0/nodePort").asInt();
    assertThat(ports.has(port)).isTrue();

    ObjectNode backToClusterIP = nodePort.deepCopy();
    backToClusterIP.withObject("spec").put("type", "ClusterIP");
    Transaction transaction = update(backToClusterIP, nodePort);
    assertThat(backToClusterIP.at("/spec/ports/0").has("nodePort")).isFalse();
    assertThat(ports.has(port)).isTrue(); // until the write is stored
    transaction.commit();
    assertThat(ports.has(port)).isFalse();

    ObjectNode external = backToClusterIP.deepCopy();
    external.withObject("spec").put("type", "ExternalName").put("externalName", "example.com");
    update(external, backToClusterIP).commit();
    assertThat(external.at("/spec").has("clusterIP")).isFalse();
    assertThat(ips.used()).isZero();
  }

  @Test
  void removingAPortReleasesItsNodePortAndAFailedWriteGivesBackWhatItTook() {
    ObjectNode two = service("{\"type\":\"NodePort\",\"ports\":[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":81}]}");
    create(two).commit();
    int removed = two.at("/spec/ports/1/nodePort").asInt();
    ObjectNode one = two.deepCopy();
    ((ArrayNode) one.at("/spec/ports")).remove(1);
    update(one, two).commit();
    assertThat(ports.has(removed)).isFalse();

    ObjectNode refusedCreate = service("{\"type\":\"LoadBalancer\",\"ports\":[{\"port\":443}]}");
    create(refusedCreate)
        .finish(null, ApiException.alreadyExists(services, "web"));
    assertThat(ips.has(refusedCreate.at("/spec/clusterIP").asText())).isFalse();
    assertThat(ports.used()).isEqualTo(1);
  }

  @Test
  void aDeletedServiceGivesEverythingBack() {
    ObjectNode web = service("{\"type\":\"LoadBalancer\",\"ports\":[{\"port\":443}]}");
    create(web).commit();
    allocation.release(services, web);
    assertThat(ips.used()).isZero();
    assertThat(ports.used()).isZero();
  }

  @Test
  void repairMarksWhatStoredServicesHoldSoThatNothingIsHandedOutTwice() {
    ServiceAllocation small = new ServiceAllocation(ServiceIPRange.parse("10.43.0.0/30"), PortRange.parse("30000-30001"));
    small.repair(List.of(
        service("{\"clusterIP\":\"10.43.0.1\",\"clusterIPs\":[\"10.43.0.1\"]}"),
        service("{\"type\":\"NodePort\",\"clusterIP\":\"10.43.0.2\",\"ports\":[{\"port\":80,\"nodePort\":30001}]}"),
        service("{\"clusterIP\":\"10.43.0.2\"}"))); // held twice: logged, not fatal
    ApiException full = refusal(() -> small.allocateCreate(services, service("{}")));
    assertThat(full.code()).isEqualTo(500);
    assertThat(full.getMessage()).isEqualTo(
        "Internal error occurred: failed to allocate a serviceIP for Service \"web\": range is full");
  }

  @Test
  void otherKindsAreLeftAlone() {
    ObjectNode configMap = service("{\"clusterIP\":\"10.43.0.5\",\"ports\":[{\"port\":80}]}");
    assertThat(allocation.allocateCreate(configMaps, configMap)).isSameAs(Transaction.NONE);
    assertThat(ips.used()).isZero();
  }
}
