package io.kubemu.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.resource.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The apiserver's OpenAPI v3: the index at {@code /openapi/v3} and one document per served
 * group version at {@code /openapi/v3/api/v1}, {@code /openapi/v3/apis/apps/v1}, ...
 * kubectl needs them: {@code kubectl apply} validates through them (and fails when the server
 * has none), computes its strategic merge patches from them, and {@code kubectl explain}
 * prints them.
 *
 * <p>The documents are generated from the fabric8 model classes once, when this is built
 * (well under a second; the apiserver does it before it listens, not on its event loop), and
 * kept with their JSON bytes and hashes.
 */
public final class OpenApi {
  private final ObjectMapper json = new ObjectMapper();
  private final Generated generated;

  /** A document as built and as served; {@code hash} names its version in the index. */
  private record Document(ObjectNode tree, byte[] bytes, String hash) {}

  /** Where the schema of a kind is: the schemas of one document and the definition name. */
  private record KindSchema(UnknownFields fields, String definition) {}

  private record Generated(Map<String, Document> documents, byte[] index, Map<String, KindSchema> kinds) {}

  /** Generates the documents of every group version {@code resources} serves. */
  public OpenApi(Resources resources) {
    this.generated = generate(resources);
  }

  /** The group version paths of the documents, as the index names them: "api/v1", "apis/apps/v1". */
  public List<String> groupVersionPaths() {
    return List.copyOf(generated.documents().keySet());
  }

  /**
   * The index, {@code {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}, ...}}}:
   * clients fetch each document by its URL and cache it as long as the hash does not change.
   */
  public byte[] indexJson() {
    return generated.index().clone();
  }

  public ObjectNode index() {
    return (ObjectNode) readTree(generated.index());
  }

  /** The document of a group version ("apis/apps/v1", a leading slash allowed) as JSON, if it is served. */
  public Optional<byte[]> documentJson(String groupVersionPath) {
    return find(groupVersionPath).map(document -> document.bytes().clone());
  }

  /** The document of a group version as a tree, a copy the caller may change. */
  public Optional<ObjectNode> document(String groupVersionPath) {
    return find(groupVersionPath).map(document -> document.tree().deepCopy());
  }

  /** The hash of a document, as its URL in the index carries it. */
  public Optional<String> hash(String groupVersionPath) {
    return find(groupVersionPath).map(Document::hash);
  }

  /**
   * The fields of {@code object}, of the given apiVersion and kind, that its schema does not
   * declare ("spec.replicaz", "spec.template.spec.containers[0].imagee"); empty when all are
   * known or the kind has no schema here. This is the check behind {@code fieldValidation=Strict}.
   */
  public List<String> unknownFields(String apiVersion, String kind, JsonNode object) {
    KindSchema schema = generated.kinds().get(apiVersion + "/" + kind);
    if (schema == null) {
      return List.of();
    }
    return schema.fields().find(schema.definition(), object);
  }

  /**
   * The message a Kubernetes apiserver answers (400 Bad Request) when Strict validation finds
   * unknown fields: {@code Deployment in version "v1" cannot be handled as a Deployment: strict
   * decoding error: unknown field "spec.replicaz"}.
   */
  public static String strictDecodingError(String kind, String version, List<String> unknownFields) {
    return UnknownFields.strictDecodingError(kind, version, unknownFields);
  }

  private Optional<Document> find(String groupVersionPath) {
    String key = groupVersionPath.startsWith("/") ? groupVersionPath.substring(1) : groupVersionPath;
    return Optional.ofNullable(generated.documents().get(key));
  }

  private Generated generate(Resources resources) {
    List<String> servedGroupVersions = new ArrayList<>();
    resources.groupVersions().forEach((group, versions) ->
        versions.forEach(version -> servedGroupVersions.add(group.isEmpty() ? version : group + "/" + version)));

    Map<String, Document> documents = new LinkedHashMap<>();
    Map<String, KindSchema> kinds = new LinkedHashMap<>();
    ObjectNode index = json.createObjectNode();
    ObjectNode indexPaths = index.putObject("paths");
    for (Map.Entry<String, Set<String>> group : resources.groupVersions().entrySet()) {
      for (String version : group.getValue()) {
        List<ResourceType> types = resources.inGroupVersion(group.getKey(), version);
        ObjectNode tree = GroupVersionDocument.build(json, group.getKey(), version, types, servedGroupVersions);
        byte[] bytes = write(tree);
        String hash = HexFormat.of().withUpperCase().formatHex(sha512(bytes));
        String path = group.getKey().isEmpty() ? "api/" + version : "apis/" + group.getKey() + "/" + version;
        documents.put(path, new Document(tree, bytes, hash));
        indexPaths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash);
        indexKinds(tree, kinds);
      }
    }
    return new Generated(documents, write(index), kinds);
  }

  /** Records, for each group-version-kind of a document's schemas, where to find its schema; first one wins. */
  private static void indexKinds(ObjectNode document, Map<String, KindSchema> kinds) {
    JsonNode schemas = document.path("components").path("schemas");
    UnknownFields fields = new UnknownFields(schemas);
    schemas.fields().forEachRemaining(entry -> {
      for (JsonNode gvk : entry.getValue().path("x-kubernetes-group-version-kind")) {
        String group = gvk.path("group").asText();
        String apiVersion = group.isEmpty() ? gvk.path("version").asText() : group + "/" + gvk.path("version").asText();
        kinds.putIfAbsent(apiVersion + "/" + gvk.path("kind").asText(), new KindSchema(fields, entry.getKey()));
      }
    });
  }

  private byte[] write(JsonNode tree) {
    try {
      return json.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode readTree(byte[] bytes) {
    try {
      return json.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] sha512(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-512").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every Java runtime", e);
    }
  }
}
