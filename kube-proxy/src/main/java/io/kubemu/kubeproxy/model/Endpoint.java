package io.kubemu.kubeproxy.model;

/** One ready backend of a service port: a pod's IP and the port traffic goes to there. */
public record Endpoint(String ip, int port) implements Comparable<Endpoint> {
  @Override
  public String toString() {
    return ip + ":" + port;
  }

  @Override
  public int compareTo(Endpoint other) {
    int byIp = compareIps(ip, other.ip);
    return byIp != 0 ? byIp : Integer.compare(port, other.port);
  }

  /** Dotted IPv4 addresses in numeric order (10.42.0.9 before 10.42.0.10); anything else by its text. */
  private static int compareIps(String a, String b) {
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    if (left.length == 4 && right.length == 4) {
      try {
        for (int i = 0; i < 4; i++) {
          int diff = Integer.compare(Integer.parseInt(left[i]), Integer.parseInt(right[i]));
          if (diff != 0) {
            return diff;
          }
        }
        return 0;
      } catch (NumberFormatException e) {
        // not IPv4 after all
      }
    }
    return a.compareTo(b);
  }
}
