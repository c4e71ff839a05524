package io.kubemu.apiserver.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string formats of Kubernetes' {@code k8s.io/apimachinery/pkg/util/validation}: DNS
 * names, label keys and values, config keys, ports, IPs. Each check returns Kubernetes' own
 * messages for what is wrong, none when the value is fine.
 */
final class Formats {
  static final int DNS1123_LABEL_MAX = 63;
  static final int DNS1123_SUBDOMAIN_MAX = 253;

  private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
  private static final String CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
  private static final String PERCENT_FMT = "[0-9]+%";
  private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', "
      + "and must start and end with an alphanumeric character";

  private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
  private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
  private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
  private static final Pattern CONFIG_MAP_KEY = Pattern.compile(CONFIG_MAP_KEY_FMT);
  private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
  private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

  static final String INVALID_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
  static final String INVALID_CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

  private Formats() {}

  static List<String> dns1123Label(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > DNS1123_LABEL_MAX) {
      problems.add(maxLength(DNS1123_LABEL_MAX));
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      problems.add(DNS1123_SUBDOMAIN.matcher(value).matches() ? "must not contain dots"
          : regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
              + "and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, "my-name", "123-abc"));
    }
    return problems;
  }

  static List<String> dns1123Subdomain(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > DNS1123_SUBDOMAIN_MAX) {
      problems.add(maxLength(DNS1123_SUBDOMAIN_MAX));
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      problems.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
          + "'-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, "example.com"));
    }
    return problems;
  }

  static List<String> dns1035Label(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > DNS1123_LABEL_MAX) {
      problems.add(maxLength(DNS1123_LABEL_MAX));
    }
    if (!DNS1035_LABEL.matcher(value).matches()) {
      problems.add(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
          + "start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL_FMT,
          "my-name", "abc-123"));
    }
    return problems;
  }

  /** A label key, annotation key or finalizer: an optional DNS subdomain prefix and '/', then a name. */
  static List<String> qualifiedName(String value) {
    List<String> problems = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      name = parts[1];
      if (parts[0].isEmpty()) {
        problems.add("prefix part must be non-empty");
      } else {
        dns1123Subdomain(parts[0]).forEach(problem -> problems.add("prefix part " + problem));
      }
    } else {
      return List.of("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name",
          "123-abc") + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    }
    if (name.isEmpty()) {
      problems.add("name part must be non-empty");
    } else if (name.length() > DNS1123_LABEL_MAX) {
      problems.add("name part " + maxLength(DNS1123_LABEL_MAX));
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      problems.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
    }
    return problems;
  }

  static List<String> labelValue(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > DNS1123_LABEL_MAX) {
      problems.add(maxLength(DNS1123_LABEL_MAX));
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      problems.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, "
          + "'-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT,
          "MyValue", "my_value", "12345"));
    }
    return problems;
  }

  /** A key of a ConfigMap's or Secret's data. */
  static List<String> configMapKey(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > DNS1123_SUBDOMAIN_MAX) {
      problems.add(maxLength(DNS1123_SUBDOMAIN_MAX));
    }
    if (!CONFIG_MAP_KEY.matcher(value).matches()) {
      problems.add(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
          CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
    }
    if (value.equals(".")) {
      problems.add("must not be '.'");
    } else if (value.equals("..")) {
      problems.add("must not be '..'");
    } else if (value.startsWith("..")) {
      problems.add("must not start with '..'");
    }
    return problems;
  }

  static List<String> portNumber(long port) {
    return inRange(port, 1, 65535);
  }

  static List<String> inRange(long value, long low, long high) {
    return value >= low && value <= high ? List.of() : List.of(inclusiveRange(low, high));
  }

  /** An IANA service name, as container ports and named target ports carry. */
  static List<String> portName(String port) {
    List<String> problems = new ArrayList<>();
    if (port.length() > 15) {
      problems.add(maxLength(15));
    }
    if (!PORT_NAME_CHARSET.matcher(port).matches()) {
      problems.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!port.matches(".*[a-z].*")) {
      problems.add("must contain at least one letter (a-z)");
    }
    if (port.contains("--")) {
      problems.add("must not contain consecutive hyphens");
    }
    if (!port.isEmpty() && (port.startsWith("-") || port.endsWith("-"))) {
      problems.add("must not begin or end with a hyphen");
    }
    return problems;
  }

  static List<String> percent(String value) {
    return PERCENT.matcher(value).matches() ? List.of()
        : List.of(regexError("a valid percent string must be a numeric string followed by an ending '%'",
            PERCENT_FMT, "1%", "93%"));
  }

  /** An IPv4 or IPv6 address; IPv4 parts may have leading zeros, as Go's sloppy parser allows. */
  static boolean isIp(String value) {
    var ipv4 = IPV4.matcher(value);
    if (ipv4.matches()) {
      for (int part = 1; part <= 4; part++) {
        if (Integer.parseInt(ipv4.group(part)) > 255) {
          return false;
        }
      }
      return true;
    }
    return isIpv6(value);
  }

  /** An IPv6 address in any of its textual forms ({@code ::1}, {@code fe80::1:2}, {@code ::ffff:10.0.0.1}). */
  static boolean isIpv6(String value) {
    String text = value;
    int groups = 0;
    int lastColon = text.lastIndexOf(':');
    if (lastColon >= 0 && text.indexOf('.', lastColon) > 0) {
      if (!isIp(text.substring(lastColon + 1))) {
        return false;
      }
      text = text.substring(0, lastColon + 1) + "0:0"; // an embedded IPv4 address takes two groups
    }
    String[] halves = text.split("::", -1);
    if (halves.length > 2 || !text.contains(":")) {
      return false;
    }
    for (String half : halves) {
      if (half.isEmpty()) {
        continue;
      }
      for (String group : half.split(":", -1)) {
        if (!IPV6_GROUP.matcher(group).matches()) {
          return false;
        }
        groups++;
      }
    }
    return halves.length == 2 ? groups < 8 : groups == 8;
  }

  static boolean isCidr(String value) {
    int slash = value.indexOf('/');
    if (slash < 0 || !isIp(value.substring(0, slash)) || !value.substring(slash + 1).matches("\\d{1,3}")) {
      return false;
    }
    int bits = Integer.parseInt(value.substring(slash + 1));
    return bits <= (isIpv6(value.substring(0, slash)) ? 128 : 32);
  }

  static String maxLength(int length) {
    return "must be no more than " + length + " characters";
  }

  static String inclusiveRange(long low, long high) {
    return "must be between " + low + " and " + high + ", inclusive";
  }

  /** Kubernetes' RegexError: the rule, examples, and the regular expression itself. */
  static String regexError(String message, String format, String... examples) {
    StringBuilder text = new StringBuilder(message).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      text.append(i > 0 ? " or " : "").append('\'').append(examples[i]).append("', ");
    }
    return text.append("regex used for validation is '").append(format).append("')").toString();
  }
}
