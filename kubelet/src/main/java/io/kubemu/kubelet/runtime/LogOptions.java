package io.kubemu.kubelet.runtime;

import java.time.Instant;

/**
 * Which part of a container's log to read (the kubelet's LogOptions, from the query of
 * {@code /containerLogs}): follow, the last {@code tailLines} (negative: all), lines since a time
 * (null: all), with each line's time, at most {@code limitBytes} (negative: no limit).
 */
public record LogOptions(boolean follow, long tailLines, boolean timestamps, Instant since, long limitBytes) {
  public static final LogOptions ALL = new LogOptions(false, -1, false, null, -1);
}
