package io.kubemu.component.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubemu.component.client.RecordingServer;
import io.kubemu.component.client.RecordingServer.Answer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  static final String NOT_FOUND = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":404,"
      + "\"reason\":\"NotFound\",\"message\":\"events \\\"web-1.1\\\" not found\"}";

  final RecordingServer server = new RecordingServer();
  final EventRecorder recorder = new EventRecorder(server.client(), "kubelet", null, null, "node-1",
      Clock.fixed(Instant.parse("2026-01-01T10:00:00.5Z"), ZoneOffset.UTC));
  final Pod pod = new PodBuilder().withNewMetadata().withNamespace("shop").withName("web-1").withUid("u-1")
      .endMetadata().build();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aNewEventIsOnePostOfTheWholeEvent() throws InterruptedException {
    recorder.normal(pod, "Pulled", "Container image \"web:1\" already present on machine");
    recorder.flush();

    assertThat(server.requests()).singleElement().satisfies(request -> assertThat(request)
        .startsWith("POST /api/v1/namespaces/shop/events application/json {\"apiVersion\":\"v1\",\"kind\":\"Event\",")
        .contains("\"reason\":\"Pulled\"", "\"type\":\"Normal\"", "\"count\":1",
            "\"message\":\"Container image \\\"web:1\\\" already present on machine\"",
            "\"involvedObject\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web-1\","
                + "\"namespace\":\"shop\",\"uid\":\"u-1\"}",
            "\"source\":{\"component\":\"kubelet\",\"host\":\"node-1\"}",
            "\"firstTimestamp\":\"2026-01-01T10:00:00Z\"", "\"name\":\"web-1."));
  }

  @Test
  void theSameEventAgainPatchesItsCountAndLastTimestampWithoutReadingIt() throws InterruptedException {
    recorder.warning(pod, "BackOff", "Back-off restarting failed container");
    recorder.warning(pod, "BackOff", "Back-off restarting failed container");
    recorder.flush();

    assertThat(server.requests()).hasSize(2);
    String name = eventName(server.requests().get(0));
    assertThat(server.requests().get(1)).isEqualTo("PATCH /api/v1/namespaces/shop/events/" + name
        + " application/strategic-merge-patch+json {\"count\":2,\"lastTimestamp\":\"2026-01-01T10:00:00Z\"}");
  }

  @Test
  void anEventGoneMeanwhileIsWrittenAgainUnderItsNameWithItsCount() throws InterruptedException {
    recorder.warning(pod, "BackOff", "Back-off restarting failed container");
    recorder.flush();
    server.answer(new Answer(404, NOT_FOUND), new Answer(201, "{}"));
    recorder.warning(pod, "BackOff", "Back-off restarting failed container");
    recorder.flush();

    assertThat(server.requests()).hasSize(3);
    String name = eventName(server.requests().get(0));
    assertThat(server.requests().get(1)).startsWith("PATCH /api/v1/namespaces/shop/events/" + name + " ");
    assertThat(server.requests().get(2)).startsWith("POST /api/v1/namespaces/shop/events application/json {")
        .contains("\"name\":\"" + name + "\"", "\"count\":2");
  }

  @Test
  void anEventTheApiserverRefusesIsDroppedAndTheNextOneStillGoes() throws InterruptedException {
    server.answer(new Answer(422, "{\"kind\":\"Status\",\"code\":422,\"message\":\"invalid\"}"), new Answer(201, "{}"));
    recorder.normal(pod, "Created", "Created container: web");
    recorder.normal(pod, "Started", "Started container web");
    recorder.flush();

    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1)).contains("\"reason\":\"Started\"");
  }

  @Test
  void eventsAreWrittenInTheOrderTheyWereRecorded() throws InterruptedException {
    for (int i = 0; i < 40; i++) {
      recorder.normal(pod("web-" + i), "Started", "Started container web-" + i);
    }
    recorder.flush();

    assertThat(server.requests()).hasSize(40);
    for (int i = 0; i < 40; i++) {
      assertThat(server.requests().get(i)).contains("\"message\":\"Started container web-" + i + "\"");
    }
  }

  @Test
  void aRateLimitedRecorderWritesItsBurstAtOnceAndTheRestAtItsRate() throws InterruptedException {
    EventRecorder limited = new EventRecorder(server.client(), "kubelet", null, null, "node-1", Clock.systemUTC(),
        4, 2);
    long start = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      limited.normal(pod("web-" + i), "Started", "Started container web-" + i);
    }
    limited.flush();

    assertThat(server.requests()).hasSize(4);
    // two at once, then one every quarter of a second
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
  }

  @Test
  void eventsOfAStoppingComponentAreDroppedWithoutALineEach() throws InterruptedException {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      server.client().close();
      for (int i = 0; i < 5; i++) {
        recorder.normal(pod("web-" + i), "Killing", "Stopping container web");
      }
      recorder.flush();
    } finally {
      System.setErr(original);
    }

    assertThat(server.requests()).isEmpty();
    assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain("could not record", "Exception");
  }

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withNamespace("shop").withName(name).withUid("u-" + name)
        .endMetadata().build();
  }

  /** The event's name, from the request that created it. */
  private static String eventName(String post) {
    int start = post.indexOf("\"name\":\"web-1.") + "\"name\":\"".length();
    return post.substring(start, post.indexOf('"', start));
  }
}
