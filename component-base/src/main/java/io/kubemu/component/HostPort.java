package io.kubemu.component;

import java.util.ArrayList;
import java.util.List;

/** A "host:port" address as components take them in flags. */
public record HostPort(String host, int port) {
  public static HostPort parse(String text) {
    String value = text.trim();
    int scheme = value.indexOf("://");
    if (scheme >= 0) {
      value = value.substring(scheme + 3);
    }
    if (value.endsWith("/")) {
      value = value.substring(0, value.length() - 1);
    }
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port <= 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new HostPort(value.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + text + "'");
    }
  }

  /** A comma-separated list, as in {@code --endpoints 127.0.0.1:2379,127.0.0.1:22379}. */
  public static List<HostPort> parseList(String text) {
    List<HostPort> list = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        list.add(parse(part));
      }
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("no address given");
    }
    return list;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
