package io.kubemu.apiserver.allocation;

import io.kubemu.apiserver.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocations of one write, settled by how the write ends (Kubernetes' allocation
 * transactions): committed, what the Service gave up is released; reverted, what it was
 * given is released again.
 */
public final class Transaction {
  private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);

  /** The transaction of a write that allocates nothing. */
  public static final Transaction NONE = new Transaction(List.of(), List.of());

  private final List<Runnable> releasedOnCommit;
  private final List<Runnable> releasedOnRevert;

  private Transaction(List<Runnable> releasedOnCommit, List<Runnable> releasedOnRevert) {
    this.releasedOnCommit = releasedOnCommit;
    this.releasedOnRevert = releasedOnRevert;
  }

  Transaction() {
    this(new ArrayList<>(), new ArrayList<>());
  }

  void onCommit(Runnable release) {
    releasedOnCommit.add(release);
  }

  void onRevert(Runnable release) {
    releasedOnRevert.add(release);
  }

  public void commit() {
    releasedOnCommit.forEach(Runnable::run);
  }

  public void revert() {
    releasedOnRevert.forEach(Runnable::run);
  }

  /**
   * Settles the transaction by the write's outcome, for {@code future.whenComplete(tx::finish)}.
   * A write refused with a Status did not happen and is reverted; a write whose outcome is
   * unknown (the store did not answer) keeps its allocations: a leak, until the next restart
   * repairs it, is better than handing out an address a stored Service may hold.
   */
  public void finish(Object written, Throwable error) {
    if (error == null) {
      commit();
    } else if (unwrap(error) instanceof ApiException) {
      revert();
    } else if (!releasedOnRevert.isEmpty()) {
      LOG.warn("keeping the ClusterIP/NodePort allocations of a write with an unknown outcome: {}", unwrap(error).toString());
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
