/**
 * The PATCH verb's three patch types, applied to a stored object held as a Jackson tree:
 * {@link io.kubemu.apiserver.patch.JsonMergePatch} (RFC 7386), {@link io.kubemu.apiserver.patch.JsonPatch}
 * (RFC 6902) and {@link io.kubemu.apiserver.patch.StrategicMergePatch}, whose knowledge of which
 * lists merge by which key lives in {@link io.kubemu.apiserver.patch.PatchStrategies}.
 * {@link io.kubemu.apiserver.patch.Patches} is the entry point the REST handler calls.
 */
package io.kubemu.apiserver.patch;
