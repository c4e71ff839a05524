package io.kubemu.cli.up;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a Docker engine answers on this machine: its {@code /_ping} on the local socket. */
final class DockerEngine {
  private DockerEngine() {}

  static String address() {
    String host = System.getenv("DOCKER_HOST");
    return host != null && !host.isBlank() ? host : "unix:///var/run/docker.sock";
  }

  static boolean reachable() {
    String address = address();
    if (!address.startsWith("unix://")) {
      return false; // kubemu's kubelet talks to the local engine only
    }
    Path socket = Path.of(address.substring("unix://".length()));
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer reply = ByteBuffer.allocate(64);
      channel.read(reply);
      String status = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
      return status.startsWith("HTTP/1.") && status.contains(" 200 ");
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
