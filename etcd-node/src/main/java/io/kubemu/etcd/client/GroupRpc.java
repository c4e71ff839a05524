package io.kubemu.etcd.client;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request to the group's leader and gets one answer back, whatever happens in
 * between: it follows the leader a member names, tries the next member when one does not
 * answer, and backs off (25 ms doubling to 200 ms) while there is no leader, for up to 30 s.
 *
 * <p>A member that cannot be reached is skipped for a second while others are left to try.
 * Every attempt of a request carries the same client id and call id, so the members' retry
 * cache applies a write at most once even when an attempt times out after it was committed.
 * Requests go on Ratis' unordered stream: our requests are independent of each other, and on
 * the ordered stream a request retried to the same member can wait out its whole timeout.
 */
final class GroupRpc {
  private static final Logger LOG = LoggerFactory.getLogger(GroupRpc.class);
  private static final long FIRST_BACKOFF_MILLIS = 25;
  private static final long MAX_BACKOFF_MILLIS = 200;
  /** Longer than a watch poll's wait plus a ReadIndex round. */
  private static final long ATTEMPT_TIMEOUT_MILLIS = 3_000;
  private static final long SUSPECT_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long GIVE_UP_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final RaftClient raft;
  private final RaftGroup group;
  private final List<RaftPeer> peers;
  private final ScheduledExecutorService timer;
  /** Sends attempts and resets connections, off the threads that deliver replies. */
  private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "kv-client-worker");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicLong callIds = new AtomicLong(1);
  private final Map<RaftPeerId, Long> suspects = new ConcurrentHashMap<>();
  private volatile RaftPeerId leader;

  GroupRpc(RaftClient raft, RaftGroup group, ScheduledExecutorService timer) {
    this.raft = raft;
    this.group = group;
    this.peers = List.copyOf(group.getPeers());
    this.timer = timer;
    this.leader = peers.get(0).getId();
  }

  CompletableFuture<RaftClientReply> send(RaftClientRequest.Type type, Message message) {
    Attempt attempt = new Attempt(type, message, callIds.getAndIncrement());
    attempt.sendTo(leader);
    return attempt.reply;
  }

  /** One request and its attempts. */
  private final class Attempt {
    final RaftClientRequest.Type type;
    final Message message;
    final long callId;
    final long startedNanos = System.nanoTime();
    final CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
    long backoffMillis;

    Attempt(RaftClientRequest.Type type, Message message, long callId) {
      this.type = type;
      this.message = message;
      this.callId = callId;
    }

    void sendTo(RaftPeerId target) {
      RaftClientRequest request = RaftClientRequest.newBuilder()
          .setClientId(raft.getId())
          .setServerId(target)
          .setGroupId(group.getGroupId())
          .setCallId(callId)
          .setMessage(message)
          .setType(type)
          .build();
      raft.getClientRpc().sendRequestAsyncUnordered(request)
          .orTimeout(ATTEMPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) // whatever happens to that connection
          .whenComplete((answer, error) -> {
            if (error != null) {
              failed(target, unwrap(error));
            } else if (answer.getException() != null) {
              failed(target, answer.getException());
            } else {
              leader = target;
              reply.complete(answer);
            }
          });
    }

    void failed(RaftPeerId target, Throwable cause) {
      if (cause instanceof StateMachineException) {
        reply.completeExceptionally(cause); // the store refused the request itself: final
        return;
      }
      // Any failure closes Ratis' stream to that member; the next request to it needs a new one.
      // Not on this thread: closing a channel waits for its shutdown, and this thread delivers
      // the replies of the other members.
      workers.execute(() -> raft.getClientRpc().handleException(target, cause, true));
      if (cause instanceof NotLeaderException notLeader) {
        RaftPeer suggested = notLeader.getSuggestedLeader();
        if (suggested != null && !suggested.getId().equals(target) && !isSuspect(suggested.getId())) {
          leader = suggested.getId();
          workers.execute(() -> sendTo(suggested.getId())); // a member named the leader: go there at once
        } else {
          retry(nextAfter(target), cause);
        }
      } else if (!(cause instanceof RaftException)) {
        // Unreachable or silent: leave that member alone for a while.
        suspects.put(target, System.nanoTime() + SUSPECT_NANOS);
        retry(nextAfter(target), cause);
      } else {
        // Not ready yet, stepping down, read index unknown: a leader change is under way there.
        retry(target, cause);
      }
      LOG.debug("call {} to {} failed: {}", callId, target, cause.toString());
    }

    void retry(RaftPeerId target, Throwable cause) {
      if (System.nanoTime() - startedNanos > GIVE_UP_AFTER_NANOS) {
        reply.completeExceptionally(new IOException("the store did not answer within 30 s: " + cause.getMessage(), cause));
        return;
      }
      backoffMillis = backoffMillis == 0 ? FIRST_BACKOFF_MILLIS : Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
      try {
        timer.schedule(() -> workers.execute(() -> sendTo(target)), backoffMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        reply.completeExceptionally(new IOException("the store client was closed", cause));
      }
    }
  }

  private boolean isSuspect(RaftPeerId peer) {
    Long until = suspects.get(peer);
    return until != null && System.nanoTime() < until;
  }

  void close() {
    workers.shutdownNow();
  }

  /** The member after {@code peer} in turn, skipping unreachable ones while others are left. */
  private RaftPeerId nextAfter(RaftPeerId peer) {
    int at = 0;
    for (int i = 0; i < peers.size(); i++) {
      if (peers.get(i).getId().equals(peer)) {
        at = i;
      }
    }
    RaftPeerId next = peers.get((at + 1) % peers.size()).getId();
    for (int step = 1; step <= peers.size(); step++) {
      RaftPeerId candidate = peers.get((at + step) % peers.size()).getId();
      if (!isSuspect(candidate)) {
        next = candidate;
        break;
      }
    }
    leader = next;
    return next;
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
