package io.kubemu.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathPluginTest {
  @TempDir
  Path dir;

  @Test
  void directoryOrCreateMakesTheDirectoryAndFileOrCreateTheFile() throws Exception {
    Path made = dir.resolve("a/b");
    HostPathPlugin.checkType(made, "DirectoryOrCreate");
    assertThat(made).isDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwxr-xr-x");
    Path file = dir.resolve("f.log");
    HostPathPlugin.checkType(file, "FileOrCreate");
    assertThat(file).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
  }

  @Test
  void aPathOfTheWrongKindFailsWithKubernetesMessage() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> HostPathPlugin.checkType(file, "Directory"))
        .hasMessage("hostPath type check failed: " + file + " is not a directory");
    assertThatThrownBy(() -> HostPathPlugin.checkType(file, "DirectoryOrCreate"))
        .hasMessage("hostPath type check failed: " + file + " is not a directory");
    assertThatThrownBy(() -> HostPathPlugin.checkType(dir, "File"))
        .hasMessage("hostPath type check failed: " + dir + " is not a file");
    assertThatThrownBy(() -> HostPathPlugin.checkType(dir.resolve("missing"), "File"))
        .hasMessage("hostPath type check failed: " + dir.resolve("missing") + " is not a file");
    assertThatThrownBy(() -> HostPathPlugin.checkType(file, "Socket"))
        .hasMessage("hostPath type check failed: " + file + " is not a socket file");
    assertThatThrownBy(() -> HostPathPlugin.checkType(file, "CharDevice"))
        .hasMessage("hostPath type check failed: " + file + " is not a character device");
    assertThatThrownBy(() -> HostPathPlugin.checkType(file, "BlockDevice"))
        .hasMessage("hostPath type check failed: " + file + " is not a block device");
    assertThatThrownBy(() -> HostPathPlugin.checkType(file, "Pipe")).hasMessage("Pipe is an invalid volume type");
  }

  @Test
  void socketsAndDevicesAreRecognisedAndNoTypeChecksNothing() throws Exception {
    Path socket = dir.resolve("app.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      HostPathPlugin.checkType(socket, "Socket");
    }
    HostPathPlugin.checkType(Path.of("/dev/null"), "CharDevice");
    HostPathPlugin.checkType(dir.resolve("anything"), null);
    HostPathPlugin.checkType(dir.resolve("anything"), "");
    assertThat(dir.resolve("anything")).doesNotExist();
  }
}
