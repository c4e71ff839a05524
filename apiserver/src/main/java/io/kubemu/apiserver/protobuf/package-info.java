/**
 * Request bodies in Kubernetes protobuf ({@code application/vnd.kubernetes.protobuf}), read as the
 * JSON the client would otherwise have sent, so the rest of the apiserver only ever sees JSON.
 *
 * <p>kubectl 1.33 sends protobuf for {@code kubectl create deployment|namespace|service|configmap|secret},
 * for {@code kubectl debug --copy-to} and for client-go's typed writes (drain's DeleteOptions);
 * answering 415 would make it fail, it does not retry with JSON. Entry point:
 * {@link io.kubemu.apiserver.protobuf.KubeProtobuf#toJson(byte[])}.
 *
 * <h2>The types</h2>
 * The {@code .proto} files under {@code src/main/proto/k8s} are kubemu's, holding Kubernetes 1.33's
 * message names, field names and field numbers for the kinds the apiserver serves and every type
 * they reach (Pod, Node, Service, Endpoints, Event, ConfigMap, Secret, ServiceAccount, Namespace,
 * Binding, DeleteOptions, Eviction, Deployment, ReplicaSet, Scale, Lease, EndpointSlice). The
 * published {@code io.kubernetes:client-java-proto} (24.0.0 and 25.0.0 alike) was not used: its
 * types stop around Kubernetes 1.28 (no {@code PodSpec.resources}) and it has no coordination/v1 or
 * discovery/v1. Two options, defined in {@code kubemu/go_json.proto}, carry the two facts about the
 * Go types that the JSON depends on and protobuf does not show: which scalars are pointers and which
 * structs are embedded inline.
 *
 * <h2>The conversion</h2>
 * {@link io.kubemu.apiserver.protobuf.GoJsonWriter} walks the message by its descriptor; its class
 * comment lists the rules. Known differences from Go's JSON, none of which kubectl produces:
 * <ul>
 *   <li>a handful of required scalars have no {@code omitempty} in Go ({@code Event.reportingComponent},
 *       {@code NodeSystemInfo}'s fields, a container's {@code name}): Go writes them as {@code ""} or
 *       {@code 0}, kubemu leaves them out like every other zero value;</li>
 *   <li>a list without {@code omitempty} ({@code EndpointSlice.endpoints}) that is empty: Go writes
 *       {@code null}, kubemu leaves it out.</li>
 * </ul>
 *
 * <h2>Fields newer than Kubernetes 1.33</h2>
 * A newer client may send fields these types do not have. One that holds its zero value is
 * ignored, because Go writes every non-pointer field, set or not, so such zeros mean "unset" and
 * arrive with every request. One that holds anything else is refused
 * ({@link io.kubemu.apiserver.protobuf.ProtobufBodyException.Problem#UNKNOWN_FIELD}, 400) rather
 * than dropped silently. The one loss: a new pointer field explicitly set to zero.
 */
package io.kubemu.apiserver.protobuf;
