package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code kubectl get events}: when it was last seen, what happened and to which object
 * ("pod/web-1"). Events written through the newer events API carry eventTime and a series
 * instead of first/last timestamps and a count; both print alike.
 */
final class EventPrinter extends KindPrinter {
  EventPrinter() {
    super(
        Column.string("Last Seen", "Time since the event last happened."),
        Column.string("Type", "Normal or Warning."),
        Column.string("Reason", "Why the event happened, in one CamelCase word."),
        Column.string("Object", "The object the event is about, as kind/name."),
        Column.string("Subobject", "The part of the object, such as a container (involvedObject.fieldPath).").wide(),
        Column.string("Source", "The component that reported the event, and its host.").wide(),
        Column.string("Message", "What happened, for a human."),
        Column.string("First Seen", "Time since the event first happened.").wide(),
        Column.string("Count", "How many times the event happened.").wide(),
        Column.NAME.wide());
  }

  @Override
  List<Object> cells(ObjectNode event, Instant now) {
    Instant first = Cells.time(event.path("firstTimestamp"));
    String firstSeen = first != null ? Cells.since(first, now) : Cells.since(Cells.time(event.path("eventTime")), now);
    Instant last = Cells.time(event.path("lastTimestamp"));
    String lastSeen = last != null ? Cells.since(last, now) : firstSeen;

    JsonNode series = event.path("series");
    long count = event.path("count").asLong(0);
    if (series.isObject()) {
      lastSeen = Cells.since(Cells.time(series.path("lastObservedTime")), now);
      count = series.path("count").asLong(0);
    } else if (count == 0) {
      count = 1; // an event reported once through the events API has no count
    }

    JsonNode involved = event.path("involvedObject");
    return List.of(
        lastSeen,
        Cells.text(event.path("type")),
        Cells.text(event.path("reason")),
        object(involved),
        Cells.text(involved.path("fieldPath")),
        source(event),
        Cells.text(event.path("message")).strip(),
        firstSeen,
        count,
        Cells.name(event));
  }

  /** "pod/web-1", or just "node" when the event names no object. */
  private static String object(JsonNode involved) {
    String kind = Cells.text(involved.path("kind")).toLowerCase(Locale.ROOT);
    String name = Cells.text(involved.path("name"));
    return name.isEmpty() ? kind : kind + "/" + name;
  }

  /** "kubelet, node-1": the reporting component and host, from source or the events API's reporting fields. */
  private static String source(JsonNode event) {
    String component = Cells.text(event.path("source").path("component"));
    if (component.isEmpty()) {
      component = Cells.text(event.path("reportingComponent"));
    }
    String host = Cells.text(event.path("source").path("host"));
    if (host.isEmpty()) {
      host = Cells.text(event.path("reportingInstance"));
    }
    return host.isEmpty() ? component : component + ", " + host;
  }
}
