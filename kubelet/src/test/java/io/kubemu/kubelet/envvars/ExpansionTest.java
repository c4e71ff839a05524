package io.kubemu.kubelet.envvars;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ExpansionTest {
  private static final Function<String, String> VARS = Expansion.mappingFor(Map.of("HOST", "db", "PORT", "5432",
      "EMPTY", ""), Map.of("PORT", "ignored", "SVC", "10.43.0.1"));

  private static String expand(String input) {
    return Expansion.expand(input, VARS);
  }

  @Test
  void referencesToDefinedVariablesAreReplacedTheFirstContextWinning() {
    assertThat(expand("postgres://$(HOST):$(PORT)/app")).isEqualTo("postgres://db:5432/app");
    assertThat(expand("$(SVC)")).isEqualTo("10.43.0.1");
    assertThat(expand("[$(EMPTY)]")).isEqualTo("[]");
  }

  @Test
  void anUndefinedReferenceStaysAsWritten() {
    assertThat(expand("$(NOPE) and $(HOST)")).isEqualTo("$(NOPE) and db");
  }

  @Test
  void doubleDollarEscapesAReference() {
    assertThat(expand("$$(HOST)")).isEqualTo("$(HOST)");
    assertThat(expand("$$$(HOST)")).isEqualTo("$db");
    assertThat(expand("cost: $$5")).isEqualTo("cost: $5");
  }

  @Test
  void aDollarWithoutAReferenceAndAnUnclosedReferenceAreKept() {
    assertThat(expand("$HOST")).isEqualTo("$HOST");
    assertThat(expand("$(HOST")).isEqualTo("$(HOST");
    assertThat(expand("end$")).isEqualTo("end$");
    assertThat(expand("$()")).isEqualTo("$()");
  }
}
