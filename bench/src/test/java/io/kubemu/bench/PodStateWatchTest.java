package io.kubemu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubemu.bench.PodStateWatch.PodState;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class PodStateWatchTest {
  @Test
  void aPendingPodIsReadAsUnboundAndNotRunning() {
    String line = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"scale-1-abc\","
        + "\"uid\":\"u-1\",\"labels\":{\"app\":\"scale\",\"round\":\"1\"},\"ownerReferences\":[{\"kind\":\"ReplicaSet\","
        + "\"uid\":\"rs-uid\",\"controller\":true}]},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]},"
        + "\"status\":{\"phase\":\"Pending\"}}}";

    assertThat(parse(line)).isEqualTo(new PodState("ADDED", "u-1", "1", null, false));
  }

  @Test
  void aBoundRunningPodIsReadyOnlyWithItsReadyConditionTrue() {
    String running = "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u-2\",\"labels\":"
        + "{\"round\":\"2\"}},\"spec\":{\"nodeName\":\"node-7\",\"containers\":[{\"name\":\"c\"}]},\"status\":{"
        + "\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\"},{\"type\":\"Ready\",\"status\":\"%s\","
        + "\"lastTransitionTime\":null}],\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,\"restartCount\":0}],"
        + "\"phase\":\"Running\"}}}";

    assertThat(parse(running.formatted("True")))
        .isEqualTo(new PodState("MODIFIED", "u-2", "2", "node-7", true));
    assertThat(parse(running.formatted("False")).runningAndReady()).isFalse();
  }

  @Test
  void namesDeeperInThePodAreNotTakenForItsOwn() {
    String line = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u-3\",\"annotations\":"
        + "{\"round\":\"9\"},\"labels\":{\"round\":\"3\"}},\"spec\":{\"affinity\":{\"nodeName\":\"not-this\"}},"
        + "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],\"phase\":\"Pending\"}}}";

    assertThat(parse(line)).isEqualTo(new PodState("ADDED", "u-3", "3", null, false));
  }

  @Test
  void valuesOfAnotherShapeThanAPodsAreSkipped() {
    String line = "{\"object\":{\"metadata\":{\"uid\":\"u-5\",\"labels\":null,\"managedFields\":[{\"fieldsV1\":"
        + "{\"f:status\":{}}}]},\"spec\":{\"nodeName\":7},\"status\":{\"conditions\":null,\"phase\":\"Running\"},"
        + "\"kind\":\"Pod\"},\"type\":\"MODIFIED\"}";

    assertThat(parse(line)).isEqualTo(new PodState("MODIFIED", "u-5", null, null, false));
  }

  @Test
  void aStreamOfEventsIsReadOneAfterAnotherUntilItEndsOrBreaks() {
    String events = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u-6\"}}}\n"
        + "[{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"not-an-event\"}}]\n"
        + "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u-6\"},"
        + "\"spec\":{\"nodeName\":\"node-1\"}}}\n";
    List<PodState> read = new ArrayList<>();

    PodStateWatch.read(stream(events), read::add);

    assertThat(read).containsExactly(new PodState("ADDED", "u-6", null, null, false),
        new PodState("MODIFIED", "u-6", null, "node-1", false));
    read.clear();
    assertThatThrownBy(() -> PodStateWatch.read(stream(events + "{\"type\":\"DELETED\",\"obj"), read::add))
        .isInstanceOf(JacksonException.class);
    assertThat(read).hasSize(2);
  }

  /** The first pod event of a line, as the harness's watch reads it; null for none, or for a broken line. */
  private static PodState parse(String line) {
    List<PodState> read = new ArrayList<>();
    try {
      PodStateWatch.read(stream(line), read::add);
    } catch (JacksonException e) {
      // what was read before it counts
    }
    return read.isEmpty() ? null : read.get(0);
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anEventWithoutAPodIsNone() {
    assertThat(parse("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410}}")).isNull();
    assertThat(parse("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\"")).isNull();
    assertThat(parse("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u-4\"},"
        + "\"status\":{\"conditions\":[{\"type\":\"Ready\"")).isNull();
  }
}
