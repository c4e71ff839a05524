package io.kubemu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.bench.PodStateWatch.PodState;
import org.junit.jupiter.api.Test;

class PodStateWatchTest {
  @Test
  void aPendingPodIsReadAsUnboundAndNotRunning() {
    String line = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"scale-1-abc\","
        + "\"uid\":\"u-1\",\"labels\":{\"app\":\"scale\",\"round\":\"1\"},\"ownerReferences\":[{\"kind\":\"ReplicaSet\","
        + "\"uid\":\"rs-uid\",\"controller\":true}]},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]},"
        + "\"status\":{\"phase\":\"Pending\"}}}";

    assertThat(PodStateWatch.parse(line)).isEqualTo(new PodState("ADDED", "u-1", "1", null, false));
  }

  @Test
  void aBoundRunningPodIsReadyOnlyWithItsReadyConditionTrue() {
    String running = "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u-2\",\"labels\":"
        + "{\"round\":\"2\"}},\"spec\":{\"nodeName\":\"node-7\",\"containers\":[{\"name\":\"c\"}]},\"status\":{"
        + "\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\"},{\"type\":\"Ready\",\"status\":\"%s\","
        + "\"lastTransitionTime\":null}],\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,\"restartCount\":0}],"
        + "\"phase\":\"Running\"}}}";

    assertThat(PodStateWatch.parse(running.formatted("True")))
        .isEqualTo(new PodState("MODIFIED", "u-2", "2", "node-7", true));
    assertThat(PodStateWatch.parse(running.formatted("False")).runningAndReady()).isFalse();
  }

  @Test
  void namesDeeperInThePodAreNotTakenForItsOwn() {
    String line = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u-3\",\"annotations\":"
        + "{\"round\":\"9\"},\"labels\":{\"round\":\"3\"}},\"spec\":{\"affinity\":{\"nodeName\":\"not-this\"}},"
        + "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],\"phase\":\"Pending\"}}}";

    assertThat(PodStateWatch.parse(line)).isEqualTo(new PodState("ADDED", "u-3", "3", null, false));
  }

  @Test
  void valuesOfAnotherShapeThanAPodsAreSkipped() {
    String line = "{\"object\":{\"metadata\":{\"uid\":\"u-5\",\"labels\":null,\"managedFields\":[{\"fieldsV1\":"
        + "{\"f:status\":{}}}]},\"spec\":{\"nodeName\":7},\"status\":{\"conditions\":null,\"phase\":\"Running\"},"
        + "\"kind\":\"Pod\"},\"type\":\"MODIFIED\"}";

    assertThat(PodStateWatch.parse(line)).isEqualTo(new PodState("MODIFIED", "u-5", null, null, false));
  }

  @Test
  void anEventWithoutAPodIsNone() {
    assertThat(PodStateWatch.parse("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410}}")).isNull();
    assertThat(PodStateWatch.parse("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\"")).isNull();
    assertThat(PodStateWatch.parse("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u-4\"},"
        + "\"status\":{\"conditions\":[{\"type\":\"Ready\"")).isNull();
  }
}
