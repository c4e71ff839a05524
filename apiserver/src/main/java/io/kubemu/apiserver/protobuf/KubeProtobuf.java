package io.kubemu.apiserver.protobuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kubemu.apiserver.protobuf.ProtobufBodyException.Problem;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.runtime.Unknown;
import java.util.Locale;

/**
 * Reads request bodies sent as {@code application/vnd.kubernetes.protobuf}, the way kubectl sends
 * {@code create deployment|namespace|service|configmap|secret} and client-go's typed deletes, and
 * hands the apiserver the same JSON object the client would have sent as {@code application/json}.
 *
 * <p>On the wire: the four bytes {@code k8s\0}, then a {@code runtime.Unknown} envelope whose
 * {@code typeMeta} names the apiVersion and kind and whose {@code raw} is the object itself.
 */
public final class KubeProtobuf {

  /** The Content-Type of a Kubernetes protobuf body. */
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

  private KubeProtobuf() {
  }

  /** Whether a Content-Type header (parameters allowed) announces a Kubernetes protobuf body. */
  public static boolean isProtobuf(String contentType) {
    return contentType != null
        && contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
  }

  /** Whether the bytes start with the Kubernetes protobuf prefix {@code k8s\0}. */
  public static boolean hasMagic(byte[] body) {
    if (body == null || body.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (body[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The object in the body as JSON, {@code kind} and {@code apiVersion} taken from the envelope.
   *
   * @throws ProtobufBodyException when the body is not Kubernetes protobuf, is cut short or
   *     malformed, names a kind kubemu does not read from protobuf, or carries a field that
   *     Kubernetes 1.33 does not have
   */
  public static ObjectNode toJson(byte[] body) {
    if (!hasMagic(body)) {
      throw new ProtobufBodyException(Problem.NOT_PROTOBUF,
          "the body is not Kubernetes protobuf: it does not start with the bytes 6b 38 73 00 (\"k8s\\0\")");
    }
    Unknown envelope;
    try {
      envelope = Unknown.parser().parseFrom(body, MAGIC.length, body.length - MAGIC.length);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtobufBodyException(Problem.MALFORMED,
          "the protobuf envelope (runtime.Unknown) is malformed or cut short: " + e.getMessage(), e);
    }
    GoJsonWriter.checkUnknownFields(envelope, "the envelope");
    String apiVersion = envelope.getTypeMeta().getApiVersion();
    String kind = envelope.getTypeMeta().getKind();
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      throw new ProtobufBodyException(Problem.MALFORMED,
          "the protobuf envelope does not name the object's apiVersion and kind");
    }
    if (!envelope.getContentEncoding().isEmpty()) {
      throw new ProtobufBodyException(Problem.UNSUPPORTED_ENCODING,
          "the protobuf envelope declares content encoding \"" + envelope.getContentEncoding()
              + "\"; kubemu reads only unencoded objects");
    }
    if (!envelope.getContentType().isEmpty() && !isProtobuf(envelope.getContentType())) {
      throw new ProtobufBodyException(Problem.UNSUPPORTED_ENCODING,
          "the protobuf envelope carries its object as \"" + envelope.getContentType()
              + "\"; send that object with that Content-Type instead");
    }
    Descriptor type = ProtobufKinds.find(apiVersion, kind).orElseThrow(() -> new ProtobufBodyException(
        Problem.UNSUPPORTED_KIND,
        "kubemu does not read " + kind + " (" + apiVersion + ") from protobuf; send it as application/json"));
    DynamicMessage object;
    try {
      object = DynamicMessage.parseFrom(type, envelope.getRaw());
    } catch (InvalidProtocolBufferException e) {
      throw new ProtobufBodyException(Problem.MALFORMED,
          "the " + kind + " in the body is malformed protobuf: " + e.getMessage(), e);
    }
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("kind", kind);
    json.put("apiVersion", apiVersion);
    json.setAll(GoJsonWriter.object(object, ""));
    return json;
  }
}
