package io.kubemu.kubelet.prober;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** The kubelet's tcpSocket probe: success when a connection opens within the timeout. */
final class TcpProber {
  private TcpProber() {}

  static ProbeResult probe(String host, int port, Duration timeout) {
    String address = host + ":" + port;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return ProbeResult.success("");
    } catch (SocketTimeoutException e) {
      return ProbeResult.failure("dial tcp " + address + ": i/o timeout");
    } catch (IOException e) {
      String reason = e.getMessage() != null && e.getMessage().toLowerCase().contains("refused")
          ? "connect: connection refused" : String.valueOf(e.getMessage());
      return ProbeResult.failure("dial tcp " + address + ": " + reason);
    }
  }
}
