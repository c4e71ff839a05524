package io.kubemu.apiserver.controlplane;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;

/**
 * The address the apiserver tells the cluster to reach it at ({@code --advertise-address}), as
 * kube-apiserver picks it: the flag, else the bind address, else, when bound to every
 * interface, this host's first non-loopback IPv4 address.
 */
public final class AdvertiseAddress {
  private static final List<String> EVERY_INTERFACE = List.of("", "0.0.0.0", "::", "[::]");

  private AdvertiseAddress() {}

  public static String choose(String advertiseAddress, String bindAddress) {
    if (!advertiseAddress.isBlank()) {
      return advertiseAddress;
    }
    if (!EVERY_INTERFACE.contains(bindAddress)) {
      return bindAddress;
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
            return address.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // no interfaces to ask: fall back to loopback
    }
    return "127.0.0.1";
  }
}
