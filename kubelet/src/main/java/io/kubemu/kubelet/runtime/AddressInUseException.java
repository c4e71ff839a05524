package io.kubemu.kubelet.runtime;

/**
 * The sandbox could not have the IP the kubelet chose: something else on the pod network holds it
 * (a container this kubelet does not know of). The kubelet sets the address aside and picks another.
 */
public final class AddressInUseException extends RuntimeException {
  private final String ip;

  public AddressInUseException(String ip, String message) {
    super(message);
    this.ip = ip;
  }

  public String ip() {
    return ip;
  }
}
