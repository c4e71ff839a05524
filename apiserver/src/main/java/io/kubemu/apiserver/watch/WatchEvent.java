package io.kubemu.apiserver.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * One change of one object, as a watch stream carries it. The watch cache hands the same event
 * to every watcher, so its line on the wire is written once and shared by all of them, rather
 * than the object being serialized again for each of hundreds of watchers.
 */
public final class WatchEvent {
  public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }

  private final Type type;
  private final ObjectNode object;
  private final long revision;
  /** The event as a line of a watch stream, once a watcher asked for it; racing writers write the same bytes. */
  private volatile byte[] line;

  public WatchEvent(Type type, ObjectNode object, long revision) {
    this.type = type;
    this.object = object;
    this.revision = revision;
  }

  public Type type() {
    return type;
  }

  /** The object as it is at this event; shared by every watcher, so never changed. */
  public ObjectNode object() {
    return object;
  }

  public long revision() {
    return revision;
  }

  /** {@code {"type":"MODIFIED","object":{...}}} and a newline, as a watch stream carries this event. */
  public byte[] line(ObjectMapper json) {
    byte[] written = line;
    if (written == null) {
      written = line(json, type.name(), object);
      line = written;
    }
    return written;
  }

  /** One line of a watch stream: an event of {@code type} carrying {@code object}. */
  public static byte[] line(ObjectMapper json, String type, JsonNode object) {
    ObjectNode frame = json.createObjectNode().put("type", type);
    frame.set("object", object);
    try {
      byte[] written = json.writeValueAsBytes(frame);
      byte[] line = Arrays.copyOf(written, written.length + 1);
      line[written.length] = '\n';
      return line;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written: " + e.getMessage(), e);
    }
  }
}
