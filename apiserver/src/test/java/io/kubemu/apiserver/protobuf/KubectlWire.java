package io.kubemu.apiserver.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.kubemu.apiserver.protobuf.k8s.GoJsonProto;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.runtime.TypeMeta;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.runtime.Unknown;
import java.io.ByteArrayOutputStream;
import java.util.Set;

/** Builds request bodies the way kubectl 1.33 (client-go's protobuf serializer) puts them on the wire. */
final class KubectlWire {

  private static final Set<String> WRITTEN_EMPTY_WHEN_ZERO = Set.of(
      "k8s.io.apimachinery.pkg.apis.meta.v1.Time", "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime");

  private KubectlWire() {
  }

  /** {@code k8s\0}, then the envelope naming apiVersion and kind around the object. */
  static byte[] body(String apiVersion, String kind, Message object) {
    return body(apiVersion, kind, object.toByteString());
  }

  static byte[] body(String apiVersion, String kind, ByteString raw) {
    Unknown envelope = Unknown.newBuilder()
        .setTypeMeta(TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(raw)
        .setContentEncoding("")
        .setContentType("")
        .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x6b, 0x38, 0x73, 0x00});
    out.writeBytes(envelope.toByteArray());
    return out.toByteArray();
  }

  /**
   * Sets what Go writes although nobody set it: every scalar that is not a Go pointer, with its
   * zero value, in this message and in every message under it. (Go also writes struct fields that
   * are not pointers, such as {@code status} or {@code resources}; tests set those themselves.)
   */
  static <B extends Message.Builder> B withGoZeros(B builder) {
    for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
      if (field.isMapField()) {
        continue;
      }
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (field.isRepeated()) {
          for (int i = 0; i < builder.getRepeatedFieldCount(field); i++) {
            withGoZerosUnlessZeroTime(builder.getRepeatedFieldBuilder(field, i));
          }
        } else if (builder.hasField(field)) {
          withGoZerosUnlessZeroTime(builder.getFieldBuilder(field));
        }
      } else if (!field.isRepeated() && !builder.hasField(field)
          && !field.getOptions().getExtension(GoJsonProto.goPointer)) {
        builder.setField(field, field.getDefaultValue());
      }
    }
    return builder;
  }

  /** A zero time is written as an empty message. */
  private static void withGoZerosUnlessZeroTime(Message.Builder builder) {
    boolean zeroTime = WRITTEN_EMPTY_WHEN_ZERO.contains(builder.getDescriptorForType().getFullName())
        && builder.getAllFields().isEmpty();
    if (!zeroTime) {
      withGoZeros(builder);
    }
  }
}
