package io.kubemu.component.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the object of a watch event is read. fabric8 reads it into a JSON tree to find its kind,
 * then converts the tree into that kind's class: every pod event an informer gets is built twice,
 * once as a tree. An apiserver writes {@code kind} and {@code apiVersion} before the rest of an
 * object, so for the kinds a component knows ({@link ClientConfig#KINDS}) the object is read here
 * straight from the stream into its class once those two are read. Anything else (another kind,
 * another order) is read as fabric8 reads it.
 */
final class WatchEventObjects {
  private WatchEventObjects() {}

  /** Jackson mix-in for fabric8's {@code WatchEvent}: its {@code object} read by {@link ObjectDeserializer}. */
  abstract static class WatchEventMixIn {
    @JsonDeserialize(using = ObjectDeserializer.class)
    Object object;

    @JsonDeserialize(using = ObjectDeserializer.class)
    abstract void setObject(Object object);
  }

  /** A watch event's object: straight into its class when its kind leads and is known, else as fabric8 does. */
  static final class ObjectDeserializer extends ValueDeserializer<Object> {
    /** The known kinds by {@code apiVersion/kind}. */
    private static final Map<String, Class<? extends KubernetesResource>> KNOWN = classes(ClientConfig.KINDS);

    static Map<String, Class<? extends KubernetesResource>> classes(List<Class<? extends KubernetesResource>> kinds) {
      return kinds.stream().filter(HasMetadata.class::isAssignableFrom).collect(Collectors.toUnmodifiableMap(
          type -> key(HasMetadata.getApiVersion(type.asSubclass(HasMetadata.class)),
              HasMetadata.getKind(type.asSubclass(HasMetadata.class))), Function.identity()));
    }

    private static String key(String apiVersion, String kind) {
      return apiVersion + "/" + kind;
    }

    /**
     * Each known class's deserializer, as Jackson resolves it for a root value. Asked of the context
     * for every object, Jackson would contextualize the class's deserializer anew each time (a fifth
     * of reading an event); an ObjectMapper keeps its root deserializers in the same way.
     */
    private final Map<Class<?>, ValueDeserializer<Object>> deserializers = new ConcurrentHashMap<>();

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
      if (!p.isExpectedStartObjectToken()) {
        return ctxt.readValue(p, KubernetesResource.class);
      }
      ObjectNode read = ctxt.getNodeFactory().objectNode();
      String kind = null;
      String apiVersion = null;
      JsonToken token = p.nextToken();
      while (token == JsonToken.PROPERTY_NAME && (kind == null || apiVersion == null)) {
        String name = p.currentName();
        if (!name.equals("kind") && !name.equals("apiVersion")) {
          break;
        }
        boolean text = p.nextToken() == JsonToken.VALUE_STRING;
        JsonNode value = text ? ctxt.getNodeFactory().stringNode(p.getString()) : ctxt.readTree(p);
        read.set(name, value);
        if (text && name.equals("kind")) {
          kind = value.asString();
        } else if (text) {
          apiVersion = value.asString();
        }
        token = p.nextToken();
      }
      Class<? extends KubernetesResource> type =
          kind == null || apiVersion == null ? null : KNOWN.get(key(apiVersion, kind));
      if (type != null) {
        // The rest of the object, from its next property on; its class has this kind and apiVersion already.
        ValueDeserializer<Object> deserializer = deserializers.get(type);
        if (deserializer == null) {
          deserializer = ctxt.findRootValueDeserializer(ctxt.constructType(type));
          deserializers.put(type, deserializer);
        }
        return deserializer.deserialize(p, ctxt);
      }
      while (token == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        read.set(name, ctxt.readTree(p));
        token = p.nextToken();
      }
      return ctxt.readTreeAsValue(read, KubernetesResource.class);
    }
  }
}
