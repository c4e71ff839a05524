package io.kubemu.kubelet.runtime;

import java.util.List;

/** CRI's Image: what the runtime has of an image (the Node's status lists them). */
public record Image(String id, List<String> repoTags, List<String> repoDigests, long size) {}
