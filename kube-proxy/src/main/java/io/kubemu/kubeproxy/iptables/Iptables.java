package io.kubemu.kubeproxy.iptables;

import io.kubemu.kubeproxy.iptables.ProxyRules.Jump;
import java.io.IOException;

/** What the proxier asks of the machine's iptables (an interface so that its logic is testable without root). */
public interface Iptables {
  /** Applies restore text atomically with {@code iptables-restore --noflush}: only the chains it names change. */
  void restore(String text) throws IOException;

  /** {@code iptables-save -t table}: the table's current chains and rules. */
  String save(String table) throws IOException;

  /** Inserts the jump at the top of its built-in chain unless it is there ({@code iptables -C}, then {@code -I}). */
  void ensureJump(Jump jump) throws IOException;

  /** Deletes every copy of the jump from its built-in chain. */
  void deleteJump(Jump jump) throws IOException;
}
