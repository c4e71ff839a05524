package io.kubemu.kubeproxy.iptables;

import io.kubemu.kubeproxy.model.Endpoint;
import io.kubemu.kubeproxy.model.ServicePortName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * kube-proxy's chain names, computed exactly as Kubernetes does, so a reader can match ours with a
 * real cluster's: the first 16 characters of base32(sha256(servicePortName + protocol [+ endpoint])).
 * {@code default/nginx:http} over TCP is always {@code KUBE-SVC-} and the same 16 characters.
 */
public final class ChainNames {
  public static final String SERVICES = "KUBE-SERVICES";
  public static final String EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
  public static final String NODE_PORTS = "KUBE-NODEPORTS";
  public static final String POSTROUTING = "KUBE-POSTROUTING";
  public static final String MARK_MASQ = "KUBE-MARK-MASQ";
  public static final String FORWARD = "KUBE-FORWARD";
  /** kubemu's own (not in Kubernetes): see {@link ProxyRules} on the host's connections to ClusterIPs. */
  public static final String HOST_SERVICES = "KUBE-HOST-SERVICES";
  public static final String SERVICE_PREFIX = "KUBE-SVC-";
  public static final String EXTERNAL_PREFIX = "KUBE-EXT-";
  public static final String ENDPOINT_PREFIX = "KUBE-SEP-";

  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private ChainNames() {}

  /** {@code KUBE-SVC-<hash>}: spreads a service port's traffic over its endpoints. */
  public static String service(ServicePortName name, String protocol) {
    return SERVICE_PREFIX + hash(name + lower(protocol));
  }

  /** {@code KUBE-EXT-<hash>}: traffic that came in from outside (a NodePort), masqueraded, then to the service. */
  public static String external(ServicePortName name, String protocol) {
    return EXTERNAL_PREFIX + hash(name + lower(protocol));
  }

  /** {@code KUBE-SEP-<hash>}: DNAT to one endpoint of a service port. */
  public static String endpoint(ServicePortName name, String protocol, Endpoint endpoint) {
    return ENDPOINT_PREFIX + hash(name + lower(protocol) + endpoint);
  }

  /** Whether kube-proxy made this chain for one service or endpoint (it removes those no service needs). */
  public static boolean isPerService(String chain) {
    return chain.startsWith(SERVICE_PREFIX) || chain.startsWith(EXTERNAL_PREFIX) || chain.startsWith(ENDPOINT_PREFIX);
  }

  static String lower(String protocol) {
    return protocol.toLowerCase(Locale.ROOT);
  }

  /** The first 16 characters of the standard base32 (RFC 4648) encoding of sha256(text). */
  static String hash(String text) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    StringBuilder out = new StringBuilder(16);
    int buffer = 0;
    int bits = 0;
    for (byte b : digest) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5 && out.length() < 16) {
        out.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
      if (out.length() == 16) {
        break;
      }
    }
    return out.toString();
  }
}
