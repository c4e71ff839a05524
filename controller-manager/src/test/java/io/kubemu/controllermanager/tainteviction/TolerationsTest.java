package io.kubemu.controllermanager.tainteviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TolerationsTest {
  private static final Taint UNREACHABLE = new TaintBuilder().withKey("node.kubernetes.io/unreachable")
      .withEffect("NoExecute").build();
  private static final Taint NOT_READY = new TaintBuilder().withKey("node.kubernetes.io/not-ready")
      .withEffect("NoExecute").build();

  private static Toleration toleration(String key, Long seconds) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect("NoExecute")
        .withTolerationSeconds(seconds).build();
  }

  @Test
  void theDefaultTolerationsOfTheApiserverAllowFiveMinutes() {
    List<Toleration> defaults = List.of(toleration("node.kubernetes.io/not-ready", 300L),
        toleration("node.kubernetes.io/unreachable", 300L));
    assertThat(Tolerations.minTolerationTime(List.of(UNREACHABLE), defaults)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void theLeastSecondsOfTheTolerationsUsedCount() {
    List<Toleration> tolerations = List.of(toleration("node.kubernetes.io/unreachable", 2L),
        toleration("node.kubernetes.io/not-ready", 300L));
    assertThat(Tolerations.minTolerationTime(List.of(UNREACHABLE), tolerations)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Tolerations.minTolerationTime(List.of(NOT_READY), tolerations)).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void anUntoleratedTaintEvictsAtOnceAndATolerationWithoutSecondsNever() {
    assertThat(Tolerations.minTolerationTime(List.of(UNREACHABLE), List.of())).isZero();
    assertThat(Tolerations.minTolerationTime(List.of(UNREACHABLE, NOT_READY),
        List.of(toleration("node.kubernetes.io/unreachable", null)))).isZero();
    assertThat(Tolerations.minTolerationTime(List.of(UNREACHABLE),
        List.of(toleration("node.kubernetes.io/unreachable", null)))).isEqualTo(Tolerations.FOREVER);
    assertThat(Tolerations.minTolerationTime(List.of(UNREACHABLE),
        List.of(new TolerationBuilder().withOperator("Exists").build()))).isEqualTo(Tolerations.FOREVER);
    assertThat(Tolerations.minTolerationTime(List.of(UNREACHABLE),
        List.of(toleration("node.kubernetes.io/unreachable", 0L)))).isZero();
  }

  @Test
  void equalTolerationsMatchKeyAndValueAndAnEffectMustMatch() {
    Taint dedicated = new TaintBuilder().withKey("dedicated").withValue("db").withEffect("NoExecute").build();
    assertThat(Tolerations.tolerates(new TolerationBuilder().withKey("dedicated").withValue("db").build(), dedicated))
        .isTrue();
    assertThat(Tolerations.tolerates(new TolerationBuilder().withKey("dedicated").withValue("web").build(), dedicated))
        .isFalse();
    assertThat(Tolerations.tolerates(new TolerationBuilder().withKey("dedicated").withOperator("Exists")
        .withEffect("NoSchedule").build(), dedicated)).isFalse();
  }
}
