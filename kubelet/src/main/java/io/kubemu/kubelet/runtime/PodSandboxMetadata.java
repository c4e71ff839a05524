package io.kubemu.kubelet.runtime;

/** Which pod a sandbox belongs to (CRI's PodSandboxMetadata). */
public record PodSandboxMetadata(String name, String namespace, String uid, int attempt) {}
