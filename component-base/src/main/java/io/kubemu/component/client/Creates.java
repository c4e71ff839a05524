package io.kubemu.component.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * A create (a POST to a collection) whose answer the caller needs little or nothing of: an Event
 * recorded, a Binding, a pod whose given name is all its controller needs. fabric8's
 * {@code resource(object).create()} parses the whole object the apiserver answers, about as much
 * work as writing it: a kubelet recording three events for each pod it starts parsed three Events back.
 */
public final class Creates {
  private static final JsonFactory JSON = new JsonFactory();

  private Creates() {}

  /**
   * POSTs {@code object}, serialized by the client, to its type's collection in {@code namespace}
   * (null for a cluster-scoped type) through the client's HTTP client and so its rate limits; the
   * answer is not parsed. An error answer is thrown as the {@link KubernetesClientException} of
   * its Status, with its code (409 for a name already taken).
   */
  public static void send(KubernetesClient client, String namespace, HasMetadata object) {
    Class<? extends HasMetadata> type = object.getClass();
    Requests.exchange(client, "POST", "application/json", Requests.collection(type, namespace),
        client.getKubernetesSerialization().asJson(object), creating(type, namespace, object));
  }

  /**
   * The same create without waiting for its answer: the calling thread waits only for the client's
   * rate limit; the future completes when the answer comes (on one of the client's threads), or
   * fails with the {@link KubernetesClientException} {@link #send} would throw. For a sender with many creates on
   * their way at once (the scheduler's bindings, as kube-scheduler binds each pod in a goroutine of
   * its own).
   */
  public static CompletableFuture<Void> sendAsync(KubernetesClient client, String namespace, HasMetadata object) {
    return post(client, namespace, object, client.getKubernetesSerialization().asJson(object)).thenApply(body -> null);
  }

  /**
   * {@link #sendAsync} of {@code object} already written as {@code json} (the JSON is what is sent;
   * the object only names its type and itself in errors), completing with the name the apiserver
   * gave it (its generateName and a suffix), read off the answer without parsing the rest of it, or
   * null if the answer names none: the ReplicaSet controller's pod creates, one object written once
   * for a whole sync, each create named in a SuccessfulCreate event.
   */
  public static CompletableFuture<String> createAsync(KubernetesClient client, String namespace, HasMetadata object,
      String json) {
    return post(client, namespace, object, json).thenApply(body -> body == null ? null : metadataName(body));
  }

  /** POSTs {@code json}, {@code object} written, to its type's collection; completes with the answer's body. */
  private static CompletableFuture<String> post(KubernetesClient client, String namespace, HasMetadata object,
      String json) {
    Class<? extends HasMetadata> type = object.getClass();
    return Requests.exchangeAsync(client, "POST", "application/json", Requests.collection(type, namespace), json,
        creating(type, namespace, object));
  }

  /** The object's {@code metadata.name}, or null when it has none; the tokens after it are not read. */
  static String metadataName(String json) {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      for (String field = parser.nextName(); field != null; field = parser.nextName()) {
        JsonToken value = parser.nextToken();
        if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
          for (String inMetadata = parser.nextName(); inMetadata != null; inMetadata = parser.nextName()) {
            if (parser.nextToken() == JsonToken.VALUE_STRING && inMetadata.equals("name")) {
              return parser.getString();
            }
            parser.skipChildren();
          }
          return null;
        }
        parser.skipChildren();
      }
      return null;
    } catch (JacksonException e) {
      return null;
    }
  }

  private static String creating(Class<? extends HasMetadata> type, String namespace, HasMetadata object) {
    String name = object.getMetadata().getName();
    return "creating " + Requests.describe(type, namespace,
        name != null ? name : object.getMetadata().getGenerateName());
  }
}
