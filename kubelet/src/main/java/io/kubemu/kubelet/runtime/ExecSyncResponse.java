package io.kubemu.kubelet.runtime;

/** CRI's ExecSyncResponse: what a command run in a container (an exec probe) wrote, and its exit code. */
public record ExecSyncResponse(byte[] stdout, byte[] stderr, int exitCode) {}
