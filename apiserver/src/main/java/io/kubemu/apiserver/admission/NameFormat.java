package io.kubemu.apiserver.admission;

import java.util.List;
import java.util.function.Function;

/**
 * What an object's name must look like, by kind (Kubernetes' ValidateNameFunc): most names are
 * DNS subdomains, a namespace's is a DNS label, a Service's a DNS-1035 label (it becomes a DNS
 * name and an environment variable prefix).
 */
enum NameFormat {
  DNS1123_SUBDOMAIN(Formats::dns1123Subdomain),
  DNS1123_LABEL(Formats::dns1123Label),
  DNS1035_LABEL(Formats::dns1035Label);

  private final Function<String, List<String>> check;

  NameFormat(Function<String, List<String>> check) {
    this.check = check;
  }

  /**
   * What is wrong with a name; a generateName prefix may end in '-', since a random suffix
   * follows it.
   */
  List<String> problems(String name, boolean prefix) {
    String checked = prefix && name.length() > 1 && name.endsWith("-")
        ? name.substring(0, name.length() - 1) + "a" : name;
    return check.apply(checked);
  }
}
