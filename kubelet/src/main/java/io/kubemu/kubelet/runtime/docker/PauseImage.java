package io.kubemu.kubelet.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The pod sandbox's image, which kubemu makes itself because no registry may be reachable: one
 * static x86-64 Linux executable, {@code /pause}, that waits in {@code pause(2)} for ever and
 * exits 0 on SIGTERM or SIGINT, as Kubernetes' pause container does. It is 224 bytes of ELF,
 * written out here instruction by instruction, packed in a one-file tar that Docker imports.
 *
 * <p>Other architectures: point {@code --pod-infra-container-image} at a pause image of theirs.
 */
final class PauseImage {
  static final String DEFAULT = "kubemu/pause:3.10";
  private static final long BASE = 0x400000;
  private static final int HEADERS = 64 + 56;

  private PauseImage() {}

  /** The executable: an ELF header, one loadable segment, the code and the sigaction it installs. */
  static byte[] executable() {
    ByteBuffer code = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    int[] actFixups = new int[2];
    for (int i = 0; i < 2; i++) {
      int signal = i == 0 ? 15 : 2; // SIGTERM, SIGINT
      code.put(new byte[] {0x48, (byte) 0x8d, 0x35}); // lea rsi, [rip + act]
      actFixups[i] = code.position();
      code.putInt(0);
      code.put((byte) 0xbf).putInt(signal); // mov edi, signal
      code.put(new byte[] {0x31, (byte) 0xd2}); // xor edx, edx (no old action)
      code.put(new byte[] {0x41, (byte) 0xba}).putInt(8); // mov r10d, 8 (sigset size)
      code.put((byte) 0xb8).putInt(13); // mov eax, rt_sigaction
      code.put(new byte[] {0x0f, 0x05}); // syscall
    }
    int loop = code.position();
    code.put((byte) 0xb8).putInt(34); // mov eax, pause
    code.put(new byte[] {0x0f, 0x05}); // syscall
    code.put(new byte[] {(byte) 0xeb, (byte) (loop - (code.position() + 2))}); // jmp loop
    int handler = code.position();
    code.put((byte) 0xb8).putInt(231); // mov eax, exit_group
    code.put(new byte[] {0x31, (byte) 0xff}); // xor edi, edi
    code.put(new byte[] {0x0f, 0x05}); // syscall
    while (code.position() % 8 != 0) {
      code.put((byte) 0xcc);
    }
    int act = code.position();
    long handlerAddress = BASE + HEADERS + handler;
    code.putLong(handlerAddress); // sa_handler
    code.putLong(0x04000000L); // sa_flags: SA_RESTORER (x86-64 needs one; the handler never returns)
    code.putLong(handlerAddress); // sa_restorer
    code.putLong(0); // sa_mask
    for (int fixup : actFixups) {
      code.putInt(fixup, act - (fixup + 4));
    }
    int codeLength = code.position();
    long fileSize = HEADERS + codeLength;

    ByteBuffer elf = ByteBuffer.allocate((int) fileSize).order(ByteOrder.LITTLE_ENDIAN);
    elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).putLong(0); // 64-bit, little-endian, SysV
    elf.putShort((short) 2).putShort((short) 62).putInt(1); // ET_EXEC, EM_X86_64, version
    elf.putLong(BASE + HEADERS).putLong(64).putLong(0); // entry, program headers at 64, no sections
    elf.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1); // flags, sizes, 1 phdr
    elf.putShort((short) 64).putShort((short) 0).putShort((short) 0); // no section headers
    elf.putInt(1).putInt(5); // PT_LOAD, R+X
    elf.putLong(0).putLong(BASE).putLong(BASE).putLong(fileSize).putLong(fileSize).putLong(0x1000);
    elf.put(code.array(), 0, codeLength);
    return elf.array();
  }

  /** A tar holding {@code /pause} (mode 0755), for Docker's image import. */
  static byte[] rootfsTar() {
    byte[] file = executable();
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      TarArchiveEntry entry = new TarArchiveEntry("pause");
      entry.setMode(0755);
      entry.setSize(file.length);
      out.putArchiveEntry(entry);
      out.write(file);
      out.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tar.toByteArray();
  }
}
