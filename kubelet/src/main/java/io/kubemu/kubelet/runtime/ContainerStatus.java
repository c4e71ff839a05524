package io.kubemu.kubelet.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * A container as the runtime reports it (CRI's ContainerStatus). Times are null until they
 * happened; {@code imageRef} is the image's digest reference (the pod's {@code imageID}).
 */
public record ContainerStatus(String id, String podSandboxId, String name, int attempt, ContainerState state,
    Instant createdAt, Instant startedAt, Instant finishedAt, int exitCode, String reason, String message,
    String image, String imageRef, Map<String, String> labels) {}
