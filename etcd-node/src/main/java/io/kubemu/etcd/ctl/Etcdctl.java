package io.kubemu.etcd.ctl;

import com.google.protobuf.ByteString;
import io.kubemu.component.HostPort;
import io.kubemu.component.Version;
import io.kubemu.etcd.api.DeleteRangeRequest;
import io.kubemu.etcd.api.DeleteRangeResponse;
import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.api.KeyValue;
import io.kubemu.etcd.api.LeaseGrantResponse;
import io.kubemu.etcd.api.LeaseTimeToLiveResponse;
import io.kubemu.etcd.api.Member;
import io.kubemu.etcd.api.PutRequest;
import io.kubemu.etcd.api.RangeRequest;
import io.kubemu.etcd.api.RangeResponse;
import io.kubemu.etcd.api.StatusResponse;
import io.kubemu.etcd.api.WatchRequest;
import io.kubemu.etcd.client.KeyRange;
import io.kubemu.etcd.client.KvClient;
import io.kubemu.etcd.client.KvException;
import io.kubemu.etcd.client.Watch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kubemu etcdctl}: peek into the store the way etcdctl peeks into etcd, e.g.
 * {@code kubemu etcdctl get /registry --prefix --keys-only} to see what the apiserver wrote.
 * Output follows etcdctl's "simple" format.
 */
@Command(name = "etcdctl", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "A command line client for kubemu's etcd-node store.",
    subcommands = {
        Etcdctl.Get.class, Etcdctl.Put.class, Etcdctl.Del.class, Etcdctl.WatchKeys.class, Etcdctl.Compact.class,
        Etcdctl.MemberCommand.class, Etcdctl.EndpointCommand.class, Etcdctl.LeaseCommand.class})
public final class Etcdctl {
  @Option(names = "--endpoints", defaultValue = "${env:ETCDCTL_ENDPOINTS:-127.0.0.1:2379}",
      description = "Client addresses of the members (default: ${DEFAULT-VALUE}).")
  String endpoints;

  @Option(names = "--dial-timeout", defaultValue = "5", description = "Seconds to find a member that answers (default: ${DEFAULT-VALUE}).")
  int dialTimeoutSeconds;

  @Spec
  CommandSpec spec;

  KvClient connect() throws IOException {
    return KvClient.connect(HostPort.parseList(endpoints), Duration.ofSeconds(dialTimeoutSeconds));
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  static ByteString bytes(String text) {
    return ByteString.copyFrom(text, StandardCharsets.UTF_8);
  }

  /** A command that only groups others, such as {@code member}. */
  abstract static class Group {
    @ParentCommand
    Etcdctl parent;
  }

  /** A subcommand that talks to the store. */
  abstract static class StoreCommand implements Callable<Integer> {
    /**
     * gRPC (inside Ratis) logs through java.util.logging to stderr, with a stack trace, every time it
     * cannot resolve or reach a member: etcdctl says what it found (a member "unreachable") instead.
     * Held here, as java.util.logging keeps only weak references to its loggers.
     */
    private static final java.util.logging.Logger GRPC = java.util.logging.Logger.getLogger(
        "org.apache.ratis.thirdparty.io.grpc");

    static {
      GRPC.setLevel(java.util.logging.Level.SEVERE);
    }

    @ParentCommand
    Object parent;

    Etcdctl root() {
      return parent instanceof Group group ? group.parent : (Etcdctl) parent;
    }

    @Override
    public Integer call() throws Exception {
      try (KvClient client = root().connect()) {
        run(client, root().out());
        root().out().flush();
        return 0;
      } catch (KvException e) {
        root().spec.commandLine().getErr().println("Error: " + e.getMessage());
        return 1;
      }
    }

    abstract void run(KvClient client, PrintWriter out) throws Exception;
  }

  @Command(name = "get", description = "Gets the key, or the keys in a range or with a prefix.")
  static final class Get extends StoreCommand {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", arity = "0..1", paramLabel = "RANGE_END")
    String rangeEnd;

    @Option(names = "--prefix", description = "Get every key with the prefix KEY.")
    boolean prefix;

    @Option(names = "--keys-only", description = "Print keys only.")
    boolean keysOnly;

    @Option(names = "--print-value-only", description = "Print values only.")
    boolean valueOnly;

    @Option(names = "--rev", defaultValue = "0", description = "The revision to read at (0: the latest).")
    long revision;

    @Option(names = "--limit", defaultValue = "0", description = "At most this many keys (0: no limit).")
    long limit;

    @Option(names = "--count-only", description = "Print only the number of keys.")
    boolean countOnly;

    @Override
    void run(KvClient client, PrintWriter out) throws IOException {
      RangeRequest.Builder request = RangeRequest.newBuilder().setKey(bytes(key))
          .setRevision(revision).setLimit(limit).setKeysOnly(keysOnly).setCountOnly(countOnly);
      if (prefix) {
        request.setRangeEnd(KeyRange.prefixEnd(bytes(key)));
      } else if (rangeEnd != null) {
        request.setRangeEnd(bytes(rangeEnd));
      }
      RangeResponse response = KvClient.await(client.range(request.build()));
      if (countOnly) {
        out.println(response.getCount());
        return;
      }
      for (KeyValue kv : response.getKvsList()) {
        if (!valueOnly) {
          out.println(kv.getKey().toStringUtf8());
        }
        if (!keysOnly) {
          out.println(kv.getValue().toStringUtf8());
        }
      }
    }
  }

  @Command(name = "put", description = "Puts the given key into the store.")
  static final class Put extends StoreCommand {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Option(names = "--lease", defaultValue = "0", description = "Attach the key to this lease ID (hex, as etcdctl prints it).")
    String lease;

    @Option(names = "--prev-kv", description = "Print the previous key-value pair.")
    boolean prevKv;

    @Override
    void run(KvClient client, PrintWriter out) throws IOException {
      var response = KvClient.await(client.put(PutRequest.newBuilder()
          .setKey(bytes(key)).setValue(bytes(value)).setLease(Long.parseUnsignedLong(lease, 16)).setPrevKv(prevKv).build()));
      out.println("OK");
      if (prevKv && response.hasPrevKv()) {
        out.println(response.getPrevKv().getKey().toStringUtf8());
        out.println(response.getPrevKv().getValue().toStringUtf8());
      }
    }
  }

  @Command(name = "del", description = "Removes the key, or the keys in a range or with a prefix.")
  static final class Del extends StoreCommand {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", arity = "0..1", paramLabel = "RANGE_END")
    String rangeEnd;

    @Option(names = "--prefix", description = "Delete every key with the prefix KEY.")
    boolean prefix;

    @Option(names = "--prev-kv", description = "Print the deleted key-value pairs.")
    boolean prevKv;

    @Override
    void run(KvClient client, PrintWriter out) throws IOException {
      DeleteRangeRequest.Builder request = DeleteRangeRequest.newBuilder().setKey(bytes(key)).setPrevKv(prevKv);
      if (prefix) {
        request.setRangeEnd(KeyRange.prefixEnd(bytes(key)));
      } else if (rangeEnd != null) {
        request.setRangeEnd(bytes(rangeEnd));
      }
      DeleteRangeResponse response = KvClient.await(client.deleteRange(request.build()));
      out.println(response.getDeleted());
      for (KeyValue kv : response.getPrevKvsList()) {
        out.println(kv.getKey().toStringUtf8());
        out.println(kv.getValue().toStringUtf8());
      }
    }
  }

  @Command(name = "watch", description = "Prints every change of the key (or keys with a prefix) until interrupted.")
  static final class WatchKeys extends StoreCommand {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Option(names = "--prefix", description = "Watch every key with the prefix KEY.")
    boolean prefix;

    @Option(names = "--rev", defaultValue = "0", description = "Start at this revision (0: from now on).")
    long revision;

    @Option(names = "--prev-kv", description = "Print the previous value with each event.")
    boolean prevKv;

    @Override
    void run(KvClient client, PrintWriter out) throws InterruptedException {
      WatchRequest.Builder request = WatchRequest.newBuilder().setKey(bytes(key)).setStartRevision(revision).setPrevKv(prevKv);
      if (prefix) {
        request.setRangeEnd(KeyRange.prefixEnd(bytes(key)));
      }
      CountDownLatch ended = new CountDownLatch(1);
      KvException[] failure = new KvException[1];
      try (Watch watch = client.watch(request.build(), new Watch.Listener() {
        @Override
        public void onEvents(List<Event> events) {
          for (Event event : events) {
            if (prevKv && event.hasPrevKv()) {
              out.println(event.getType());
              out.println(event.getPrevKv().getKey().toStringUtf8());
              out.println(event.getPrevKv().getValue().toStringUtf8());
            }
            out.println(event.getType());
            out.println(event.getKv().getKey().toStringUtf8());
            if (event.getType() == Event.EventType.PUT) {
              out.println(event.getKv().getValue().toStringUtf8());
            }
          }
          out.flush();
        }

        @Override
        public void onError(KvException error) {
          failure[0] = error;
          ended.countDown();
        }
      })) {
        ended.await();
      }
      throw failure[0];
    }
  }

  @Command(name = "compact", description = "Discards all history before the given revision.")
  static final class Compact extends StoreCommand {
    @Parameters(index = "0", paramLabel = "REVISION")
    long revision;

    @Override
    void run(KvClient client, PrintWriter out) throws IOException {
      KvClient.await(client.compact(revision));
      out.println("compacted revision " + revision);
    }
  }

  @Command(name = "member", description = "Membership commands.", subcommands = MemberCommand.ListMembers.class)
  static final class MemberCommand extends Group {

    @Command(name = "list", description = "Lists the members: name, status, peer address, client address, is leader.")
    static final class ListMembers extends StoreCommand {
      @Override
      void run(KvClient client, PrintWriter out) throws IOException {
        String leader = leaderOf(client);
        for (Member member : client.members()) {
          String state;
          try {
            KvClient.await(client.status(member.getName()));
            state = "started";
          } catch (IOException e) {
            state = "unreachable";
          }
          out.printf("%s, %s, %s, %s, %s%n", member.getName(), state, member.getPeerAddress(),
              member.getClientAddress(), member.getName().equals(leader));
        }
      }
    }
  }

  @Command(name = "endpoint", description = "Endpoint commands.", subcommands = EndpointCommand.Status.class)
  static final class EndpointCommand extends Group {

    @Command(name = "status",
        description = "Prints, per endpoint: endpoint, member, version, db size, is leader, raft term, raft applied index, revision, compact revision.")
    static final class Status extends StoreCommand {
      @Override
      void run(KvClient client, PrintWriter out) {
        for (HostPort endpoint : HostPort.parseList(root().endpoints)) {
          Member member = client.members().stream()
              .filter(m -> m.getClientAddress().equals(endpoint.toString()))
              .findFirst().orElse(null);
          if (member == null) {
            out.printf("%s, not a member's client address%n", endpoint);
            continue;
          }
          try {
            StatusResponse status = KvClient.await(client.status(member.getName()));
            out.printf("%s, %s, %s, %s, %s, %d, %d, %d, %d%n", endpoint, member.getName(), status.getVersion(),
                humanBytes(status.getDbSize()), status.getLeader().equals(member.getName()), status.getRaftTerm(),
                status.getRaftAppliedIndex(), status.getHeader().getRevision(), status.getCompactRevision());
          } catch (IOException e) {
            out.printf("%s, %s, unreachable: %s%n", endpoint, member.getName(), e.getMessage());
          }
        }
      }
    }
  }

  @Command(name = "lease", description = "Lease commands.",
      subcommands = {LeaseCommand.Grant.class, LeaseCommand.Revoke.class, LeaseCommand.TimeToLive.class, LeaseCommand.KeepAlive.class})
  static final class LeaseCommand extends Group {

    @Command(name = "grant", description = "Creates a lease with a TTL in seconds.")
    static final class Grant extends StoreCommand {
      @Parameters(index = "0", paramLabel = "TTL")
      long ttl;

      @Override
      void run(KvClient client, PrintWriter out) throws IOException {
        LeaseGrantResponse lease = KvClient.await(client.leaseGrant(ttl));
        out.printf("lease %x granted with TTL(%ds)%n", lease.getId(), lease.getTtl());
      }
    }

    @Command(name = "revoke", description = "Revokes a lease and deletes its keys.")
    static final class Revoke extends StoreCommand {
      @Parameters(index = "0", paramLabel = "LEASE_ID")
      String id;

      @Override
      void run(KvClient client, PrintWriter out) throws IOException {
        KvClient.await(client.leaseRevoke(Long.parseUnsignedLong(id, 16)));
        out.printf("lease %s revoked%n", id);
      }
    }

    @Command(name = "keep-alive", description = "Refreshes a lease once.")
    static final class KeepAlive extends StoreCommand {
      @Parameters(index = "0", paramLabel = "LEASE_ID")
      String id;

      @Override
      void run(KvClient client, PrintWriter out) throws IOException {
        var response = KvClient.await(client.leaseKeepAlive(Long.parseUnsignedLong(id, 16)));
        out.printf("lease %x keepalived with TTL(%d)%n", response.getId(), response.getTtl());
      }
    }

    @Command(name = "timetolive", description = "Prints what is left of a lease.")
    static final class TimeToLive extends StoreCommand {
      @Parameters(index = "0", paramLabel = "LEASE_ID")
      String id;

      @Option(names = "--keys", description = "Also list the keys attached to the lease.")
      boolean keys;

      @Override
      void run(KvClient client, PrintWriter out) throws IOException {
        LeaseTimeToLiveResponse response = KvClient.await(client.leaseTimeToLive(Long.parseUnsignedLong(id, 16), keys));
        if (response.getTtl() < 0) {
          out.printf("lease %s already expired%n", id);
          return;
        }
        List<String> attached = new ArrayList<>();
        response.getKeysList().forEach(key -> attached.add(key.toStringUtf8()));
        out.printf("lease %s granted with TTL(%ds), remaining(%ds)%s%n", id, response.getGrantedTtl(), response.getTtl(),
            keys ? ", attached keys(" + attached + ")" : "");
      }
    }
  }

  static String leaderOf(KvClient client) {
    for (Member member : client.members()) {
      try {
        String leader = KvClient.await(client.status(member.getName())).getLeader();
        if (!leader.isEmpty()) {
          return leader;
        }
      } catch (IOException | RuntimeException e) {
        // ask the next member
      }
    }
    return "";
  }

  static String humanBytes(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    if (bytes < 1_000_000) {
      return (bytes / 1000) + " kB";
    }
    return (bytes / 1_000_000) + " MB";
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Etcdctl());
  }
}
