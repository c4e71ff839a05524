package io.kubemu.apiserver.allocation;

/**
 * The ports NodePorts come from ({@code --service-node-port-range}, 30000-32767 by default),
 * written as Kubernetes writes it: {@code 30000-32767}, or {@code 30000+2767}.
 */
public record PortRange(int base, int size) {
  public PortRange {
    if (base < 1 || size < 1 || base + size - 1 > 65535) {
      throw new IllegalArgumentException("a port range must lie within 1-65535");
    }
  }

  public static PortRange parse(String text) {
    String value = text.trim();
    try {
      if (value.matches("\\d+-\\d+")) {
        int low = Integer.parseInt(value.substring(0, value.indexOf('-')));
        int high = Integer.parseInt(value.substring(value.indexOf('-') + 1));
        if (high < low) {
          throw new IllegalArgumentException("the port range \"" + text + "\" ends before it starts");
        }
        return new PortRange(low, high - low + 1);
      }
      if (value.matches("\\d+\\+\\d+")) {
        int low = Integer.parseInt(value.substring(0, value.indexOf('+')));
        return new PortRange(low, Integer.parseInt(value.substring(value.indexOf('+') + 1)) + 1);
      }
    } catch (NumberFormatException e) {
      // too many digits: reported below
    }
    throw new IllegalArgumentException("\"" + text + "\" is not a port range such as 30000-32767");
  }

  public boolean contains(int port) {
    return port >= base && port < base + size;
  }

  @Override
  public String toString() {
    return base + "-" + (base + size - 1);
  }
}
