package io.kubemu.kubelet.volume;

/** One file of a ConfigMap, Secret, downward API or projected volume: its content and mode (e.g. 0644). */
public record FileProjection(byte[] data, int mode) {}
