package io.kubemu.bench;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How the pod startup benchmark creates its pods. Kubernetes' pod startup SLO is measured on pods
 * created at a steady rate; all at once is harsher: the pods queue in the scheduler and the kubelet.
 */
enum Creation {
  /** Every create call sent together, from one thread per pod. */
  ALL_AT_ONCE("all-at-once", "all at once (one create call per pod, sent together)"),
  /** The next pod is created once the one before is Running and Ready: no queueing, each pod's own latency. */
  ONE_AFTER_ANOTHER("one-after-another", "one after another (each once the one before is Running and Ready)");

  final String flag;
  final String description;

  Creation(String flag, String description) {
    this.flag = flag;
    this.description = description;
  }

  /** Reads {@code --creation}'s value. */
  static final class Converter implements ITypeConverter<Creation> {
    @Override
    public Creation convert(String value) {
      return Arrays.stream(values()).filter(c -> c.flag.equals(value.toLowerCase(Locale.ROOT))).findFirst()
          .orElseThrow(() -> new TypeConversionException("all-at-once or one-after-another, not '" + value + "'"));
    }
  }
}
