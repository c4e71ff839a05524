package io.kubemu.apiserver.table;

import static io.kubemu.apiserver.table.TableFixtures.ago;
import static io.kubemu.apiserver.table.TableFixtures.cell;
import static io.kubemu.apiserver.table.TableFixtures.cells;
import static io.kubemu.apiserver.table.TableFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code kubectl get events}: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, for old- and new-style events. */
class EventTableTest {

  private static String event(String body) {
    return """
        {"kind":"Event","apiVersion":"v1",
         "metadata":{"name":"web-1.17d2a6","namespace":"default","creationTimestamp":"%s"},%s}
        """.formatted(ago(Duration.ofMinutes(5)), body);
  }

  @Test
  void kubectlShowsLastSeenTypeReasonObjectMessageAndMoreWithWide() {
    assertThat(headers("events", false)).containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
    assertThat(headers("events", true)).containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT",
        "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME");
  }

  @Test
  void anEventRecordedByTheKubeletPrintsWhenWhatAndOnWhichObject() {
    String pulled = event("""
        "involvedObject":{"kind":"Pod","namespace":"default","name":"web-1","fieldPath":"spec.containers{web}"},
        "reason":"Pulled","message":"  Successfully pulled image \\"nginx:1.27\\"\\n","type":"Normal",
        "source":{"component":"kubelet","host":"node-1"},
        "firstTimestamp":"%s","lastTimestamp":"%s","count":3""".formatted(
        ago(Duration.ofMinutes(5)), ago(Duration.ofSeconds(30))));

    assertThat(cells("events", pulled)).containsExactly("30s", "Normal", "Pulled", "pod/web-1",
        "spec.containers{web}", "kubelet, node-1", "Successfully pulled image \"nginx:1.27\"", "5m", 3L,
        "web-1.17d2a6");
  }

  @Test
  void anEventFromTheEventsApiUsesEventTimeReportingFieldsAndCountsOnce() {
    String scheduled = event("""
        "involvedObject":{"kind":"Pod","namespace":"default","name":"web-1"},
        "reason":"Scheduled","message":"Successfully assigned default/web-1 to node-1","type":"Normal",
        "source":{},"firstTimestamp":null,"lastTimestamp":null,
        "eventTime":"%s","reportingComponent":"default-scheduler","reportingInstance":"" """
        .formatted(ago(Duration.ofSeconds(131)).replace("Z", ".500000Z"))); // 130.5s ago

    assertThat(cell("events", scheduled, "LAST SEEN")).isEqualTo("2m10s");
    assertThat(cell("events", scheduled, "FIRST SEEN")).isEqualTo("2m10s");
    assertThat(cell("events", scheduled, "COUNT")).isEqualTo(1L);
    assertThat(cell("events", scheduled, "SOURCE")).isEqualTo("default-scheduler");
  }

  @Test
  void aRepeatingEventShowsItsSeriesLastObservedTimeAndCount() {
    String backOff = event("""
        "involvedObject":{"kind":"Pod","name":"web-1"},"reason":"BackOff","type":"Warning",
        "message":"Back-off restarting failed container","eventTime":"%s",
        "series":{"count":7,"lastObservedTime":"%s"}""".formatted(
        ago(Duration.ofMinutes(20)), ago(Duration.ofSeconds(10))));

    assertThat(cells("events", backOff)).startsWith("10s", "Warning", "BackOff", "pod/web-1");
    assertThat(cell("events", backOff, "FIRST SEEN")).isEqualTo("20m");
    assertThat(cell("events", backOff, "COUNT")).isEqualTo(7L);
  }

  @Test
  void anEventWithoutAnObjectNameShowsTheKindOnly() {
    String starting = event("\"involvedObject\":{\"kind\":\"Node\"},\"reason\":\"Starting\",\"type\":\"Normal\"");

    assertThat(cell("events", starting, "OBJECT")).isEqualTo("node");
  }

  @Test
  void anEventWithoutTimestampsHasUnknownTimes() {
    String bare = event("\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"web-1\"},\"reason\":\"Killing\"");

    assertThat(cell("events", bare, "LAST SEEN")).isEqualTo("<unknown>");
    assertThat(cell("events", bare, "FIRST SEEN")).isEqualTo("<unknown>");
  }
}
