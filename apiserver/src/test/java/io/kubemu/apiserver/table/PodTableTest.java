package io.kubemu.apiserver.table;

import static io.kubemu.apiserver.table.TableFixtures.ago;
import static io.kubemu.apiserver.table.TableFixtures.cell;
import static io.kubemu.apiserver.table.TableFixtures.cells;
import static io.kubemu.apiserver.table.TableFixtures.headers;
import static io.kubemu.apiserver.table.TableFixtures.object;
import static io.kubemu.apiserver.table.TableFixtures.tableOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code kubectl get pods}: the READY, STATUS and RESTARTS rules of kube-apiserver's pod printer. */
class PodTableTest {

  /** A pod named web-1, created 10 minutes ago, with one container "web", and the given status. */
  private static String pod(String status) {
    return podWith("", "{\"containers\":[{\"name\":\"web\",\"image\":\"nginx\"}]}", status);
  }

  private static String podWith(String extraMetadata, String spec, String status) {
    return """
        {"kind":"Pod","apiVersion":"v1",
         "metadata":{"name":"web-1","namespace":"default","creationTimestamp":"%s"%s},
         "spec":%s,
         "status":%s}
        """.formatted(ago(Duration.ofMinutes(10)), extraMetadata, spec, status);
  }

  private static String status(String pod) {
    return (String) cell("pods", pod, "STATUS");
  }

  private static final String RUNNING_READY = """
      {"phase":"Running","podIP":"10.42.0.5","conditions":[{"type":"Ready","status":"True"}],
       "containerStatuses":[{"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}]}""";

  @Test
  void kubectlShowsNameReadyStatusRestartsAgeAndMoreWithWide() {
    assertThat(headers("pods", false)).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
    assertThat(headers("pods", true)).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE",
        "IP", "NODE", "NOMINATED NODE", "READINESS GATES");
  }

  @Test
  void aRunningPodWithItsContainerReadyPrintsOneOfOneRunning() {
    String pod = podWith("", "{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"web\"}]}", RUNNING_READY);

    assertThat(cells("pods", pod))
        .containsExactly("web-1", "1/1", "Running", "0", "10m", "10.42.0.5", "node-1", "<none>", "<none>");
  }

  @Test
  void aPodNotYetScheduledIsPendingWithNoneForIpAndNode() {
    String pod = pod("{\"phase\":\"Pending\"}");

    assertThat(cells("pods", pod)).containsExactly("web-1", "0/1", "Pending", "0", "10m",
        "<none>", "<none>", "<none>", "<none>");
  }

  @Test
  void aContainerBeingCreatedShowsItsWaitingReason() {
    String pod = pod("""
        {"phase":"Pending","containerStatuses":[{"name":"web","ready":false,"restartCount":0,
          "state":{"waiting":{"reason":"ContainerCreating"}}}]}""");

    assertThat(status(pod)).isEqualTo("ContainerCreating");
    assertThat(cell("pods", pod, "READY")).isEqualTo("0/1");
  }

  @Test
  void aCrashingContainerShowsCrashLoopBackOffAndHowLongAgoItLastDied() {
    String pod = pod("""
        {"phase":"Running","containerStatuses":[{"name":"web","ready":false,"restartCount":4,
          "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 40s"}},
          "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"%s"}}}]}"""
        .formatted(ago(Duration.ofMinutes(5))));

    assertThat(status(pod)).isEqualTo("CrashLoopBackOff");
    assertThat(cell("pods", pod, "RESTARTS")).isEqualTo("4 (5m ago)");
    assertThat(cell("pods", pod, "READY")).isEqualTo("0/1");
  }

  @Test
  void restartsAddUpOverContainersAndTellTheMostRecentRestart() {
    String pod = podWith("", "{\"containers\":[{\"name\":\"web\"},{\"name\":\"log\"}]}", """
        {"phase":"Running","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[
          {"name":"web","ready":true,"restartCount":2,"state":{"running":{}},
           "lastState":{"terminated":{"exitCode":1,"finishedAt":"%s"}}},
          {"name":"log","ready":true,"restartCount":1,"state":{"running":{}},
           "lastState":{"terminated":{"exitCode":1,"finishedAt":"%s"}}}]}"""
        .formatted(ago(Duration.ofMinutes(10)), ago(Duration.ofSeconds(200))));

    assertThat(cell("pods", pod, "RESTARTS")).isEqualTo("3 (3m20s ago)");
    assertThat(cell("pods", pod, "READY")).isEqualTo("2/2");
    assertThat(status(pod)).isEqualTo("Running");
  }

  @Test
  void restartsWithoutAKnownLastTerminationShowTheBareCount() {
    String pod = pod("""
        {"phase":"Running","containerStatuses":[{"name":"web","ready":true,"restartCount":2,
          "state":{"running":{}}}]}""");

    assertThat(cell("pods", pod, "RESTARTS")).isEqualTo("2");
  }

  @Test
  void theFirstContainersReasonWinsOverLaterOnes() {
    String pod = podWith("", "{\"containers\":[{\"name\":\"web\"},{\"name\":\"log\"}]}", """
        {"phase":"Pending","containerStatuses":[
          {"name":"web","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ImagePullBackOff"}}},
          {"name":"log","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]}""");

    assertThat(status(pod)).isEqualTo("ImagePullBackOff");
  }

  @Test
  void whileInitContainersRunTheStatusCountsThoseThatFinished() {
    String spec = """
        {"initContainers":[{"name":"migrate"},{"name":"warm"}],"containers":[{"name":"web"}]}""";
    String firstRunning = podWith("", spec, """
        {"phase":"Pending","initContainerStatuses":[
          {"name":"migrate","ready":false,"restartCount":0,"state":{"running":{}}},
          {"name":"warm","ready":false,"restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}],
         "containerStatuses":[{"name":"web","ready":false,"restartCount":0,
          "state":{"waiting":{"reason":"PodInitializing"}}}]}""");
    String secondRunning = podWith("", spec, """
        {"phase":"Pending","initContainerStatuses":[
          {"name":"migrate","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
          {"name":"warm","ready":false,"restartCount":0,"state":{"running":{}}}]}""");

    assertThat(status(firstRunning)).isEqualTo("Init:0/2");
    assertThat(status(secondRunning)).isEqualTo("Init:1/2");
  }

  @Test
  void aFailingInitContainerShowsItsReasonExitCodeOrSignal() {
    String spec = "{\"initContainers\":[{\"name\":\"migrate\"}],\"containers\":[{\"name\":\"web\"}]}";
    String waiting = "{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}";
    String errored = "{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\"}}";
    String exitCode = "{\"terminated\":{\"exitCode\":3}}";
    String signal = "{\"terminated\":{\"exitCode\":137,\"signal\":9}}";

    for (String[] state : new String[][] {{waiting, "Init:CrashLoopBackOff"}, {errored, "Init:Error"},
        {exitCode, "Init:ExitCode:3"}, {signal, "Init:Signal:9"}}) {
      String pod = podWith("", spec, """
          {"phase":"Pending","initContainerStatuses":[{"name":"migrate","ready":false,"restartCount":1,
            "state":%s}]}""".formatted(state[0]));
      assertThat(status(pod)).as(state[0]).isEqualTo(state[1]);
    }
  }

  @Test
  void whileInitializingOnlyInitContainerRestartsCount() {
    String spec = "{\"initContainers\":[{\"name\":\"migrate\"}],\"containers\":[{\"name\":\"web\"}]}";
    String pod = podWith("", spec, """
        {"phase":"Pending","initContainerStatuses":[{"name":"migrate","ready":false,"restartCount":3,
          "state":{"waiting":{"reason":"CrashLoopBackOff"}},
          "lastState":{"terminated":{"exitCode":1,"finishedAt":"%s"}}}],
         "containerStatuses":[{"name":"web","ready":false,"restartCount":7,
          "state":{"waiting":{"reason":"PodInitializing"}}}]}""".formatted(ago(Duration.ofSeconds(45))));

    assertThat(cell("pods", pod, "RESTARTS")).isEqualTo("3 (45s ago)");
  }

  @Test
  void aSidecarInitContainerCountsAsAContainerOnceStarted() {
    String spec = """
        {"initContainers":[{"name":"proxy","restartPolicy":"Always"}],"containers":[{"name":"web"}]}""";
    String pod = podWith("", spec, """
        {"phase":"Running","conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
         "initContainerStatuses":[{"name":"proxy","ready":true,"started":true,"restartCount":1,
           "state":{"running":{}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"%s"}}}],
         "containerStatuses":[{"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}]}"""
        .formatted(ago(Duration.ofMinutes(2))));

    assertThat(cell("pods", pod, "READY")).isEqualTo("2/2");
    assertThat(status(pod)).isEqualTo("Running");
    assertThat(cell("pods", pod, "RESTARTS")).isEqualTo("1 (2m ago)");
  }

  @Test
  void aPodBeingDeletedIsTerminating() {
    String pod = podWith(",\"deletionTimestamp\":\"" + ago(Duration.ofSeconds(5)) + "\"",
        "{\"containers\":[{\"name\":\"web\"}]}", RUNNING_READY);

    assertThat(status(pod)).isEqualTo("Terminating");
  }

  @Test
  void aPodBeingDeletedFromALostNodeIsUnknown() {
    String pod = podWith(",\"deletionTimestamp\":\"" + ago(Duration.ofSeconds(5)) + "\"",
        "{\"containers\":[{\"name\":\"web\"}]}", """
        {"phase":"Running","reason":"NodeLost","message":"Node node-2 which was running pod web-1 is unresponsive",
         "containerStatuses":[{"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}]}""");

    assertThat(status(pod)).isEqualTo("Unknown");
  }

  @Test
  void aFinishedPodKeepsItsStatusWhenDeleted() {
    String pod = podWith(",\"deletionTimestamp\":\"" + ago(Duration.ofSeconds(5)) + "\"",
        "{\"containers\":[{\"name\":\"web\"}]}", """
        {"phase":"Succeeded","containerStatuses":[{"name":"web","ready":false,"restartCount":0,
          "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}""");

    assertThat(status(pod)).isEqualTo("Completed");
  }

  @Test
  void aSucceededPodIsCompletedAndItsRowIsMarkedCompleted() {
    String pod = pod("""
        {"phase":"Succeeded","containerStatuses":[{"name":"web","ready":false,"restartCount":0,
          "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}""");

    assertThat(cells("pods", pod)).startsWith("web-1", "0/1", "Completed", "0");
    JsonNode condition = tableOf("pods", object(pod)).path("rows").path(0).path("conditions").path(0);
    assertThat(condition.path("type").asText()).isEqualTo("Completed");
    assertThat(condition.path("status").asText()).isEqualTo("True");
    assertThat(condition.path("reason").asText()).isEqualTo("Succeeded");
  }

  @Test
  void aFailedPodShowsTheTerminationReasonAndItsRowIsMarkedFailed() {
    String pod = pod("""
        {"phase":"Failed","containerStatuses":[{"name":"web","ready":false,"restartCount":0,
          "state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}""");

    assertThat(status(pod)).isEqualTo("Error");
    assertThat(tableOf("pods", object(pod)).at("/rows/0/conditions/0/reason").asText()).isEqualTo("Failed");
  }

  @Test
  void aRunningPodHasNoRowConditions() {
    assertThat(tableOf("pods", object(pod(RUNNING_READY))).path("rows").path(0).has("conditions")).isFalse();
  }

  @Test
  void anEvictedPodShowsThePodsReason() {
    String pod = pod("{\"phase\":\"Failed\",\"reason\":\"Evicted\",\"message\":\"low on memory\"}");

    assertThat(status(pod)).isEqualTo("Evicted");
  }

  @Test
  void aContainerKilledWithoutAReasonShowsItsSignalOrExitCode() {
    String signaled = pod("""
        {"phase":"Running","containerStatuses":[{"name":"web","ready":false,"restartCount":0,
          "state":{"terminated":{"exitCode":137,"signal":9}}}]}""");
    String exited = pod("""
        {"phase":"Running","containerStatuses":[{"name":"web","ready":false,"restartCount":0,
          "state":{"terminated":{"exitCode":2}}}]}""");

    assertThat(status(signaled)).isEqualTo("Signal:9");
    assertThat(status(exited)).isEqualTo("ExitCode:2");
  }

  @Test
  void aCompletedContainerBesideARunningOneLeavesThePodRunningOrNotReady() {
    String spec = "{\"containers\":[{\"name\":\"job\"},{\"name\":\"web\"}]}";
    String statuses = """
        "containerStatuses":[
          {"name":"job","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
          {"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}]""";
    String ready = podWith("", spec,
        "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]," + statuses + "}");
    String notReady = podWith("", spec,
        "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]," + statuses + "}");

    assertThat(status(ready)).isEqualTo("Running");
    assertThat(status(notReady)).isEqualTo("NotReady");
    assertThat(cell("pods", ready, "READY")).isEqualTo("1/2");
  }

  @Test
  void aPodHeldBySchedulingGatesIsSchedulingGated() {
    String pod = pod("""
        {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}""");

    assertThat(status(pod)).isEqualTo("SchedulingGated");
  }

  @Test
  void wideColumnsShowNominatedNodeAndReadinessGatesThatHold() {
    String spec = """
        {"nodeName":"node-1","readinessGates":[{"conditionType":"example.com/lb"},{"conditionType":"example.com/dns"}],
         "containers":[{"name":"web"}]}""";
    String pod = podWith("", spec, """
        {"phase":"Running","podIPs":[{"ip":"10.42.0.9"}],"nominatedNodeName":"node-3",
         "conditions":[{"type":"example.com/lb","status":"True"},{"type":"example.com/dns","status":"False"}],
         "containerStatuses":[{"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}]}""");

    assertThat(cell("pods", pod, "IP")).isEqualTo("10.42.0.9");
    assertThat(cell("pods", pod, "NOMINATED NODE")).isEqualTo("node-3");
    assertThat(cell("pods", pod, "READINESS GATES")).isEqualTo("1/2");
  }

  @Test
  void aPodWithoutCreationTimestampHasUnknownAge() {
    String pod = "{\"metadata\":{\"name\":\"web-1\"},\"spec\":{\"containers\":[]},\"status\":{}}";

    assertThat(cell("pods", pod, "AGE")).isEqualTo("<unknown>");
  }
}
