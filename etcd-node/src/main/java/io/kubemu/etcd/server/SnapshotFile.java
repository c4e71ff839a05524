package io.kubemu.etcd.server;

import io.kubemu.etcd.api.SnapshotHeader;
import io.kubemu.etcd.api.SnapshotLease;
import io.kubemu.etcd.api.SnapshotRecord;
import io.kubemu.etcd.mvcc.Leases;
import io.kubemu.etcd.mvcc.MvccStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A store snapshot on disk: a {@link SnapshotHeader}, every retained key version as a
 * {@link SnapshotRecord}, then every {@link SnapshotLease}, each length-delimited. Written to
 * a temporary file and moved into place, so a crash never leaves half a snapshot behind.
 */
final class SnapshotFile {
  private SnapshotFile() {}

  static void write(File file, MvccStore store) throws IOException {
    List<MvccStore.Change> changes = store.retainedChanges();
    File tmp = new File(file.getParentFile(), file.getName() + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp.toPath()), 1 << 16)) {
      SnapshotHeader.newBuilder()
          .setRevision(store.revision())
          .setCompactRevision(store.compactRevision())
          .setRecords(changes.size())
          .setLeases(store.leases().all().size())
          .setNextLeaseId(store.leases().nextId())
          .build()
          .writeDelimitedTo(out);
      for (MvccStore.Change change : changes) {
        SnapshotRecord.newBuilder().setKv(change.kv()).setSub(change.sub()).build().writeDelimitedTo(out);
      }
      for (Leases.Lease lease : store.leases().all()) {
        SnapshotLease.newBuilder()
            .setId(lease.id())
            .setTtl(lease.ttlSeconds())
            .setRefreshedMillis(lease.refreshedMillis())
            .build()
            .writeDelimitedTo(out);
      }
    }
    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static MvccStore read(File file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()), 1 << 16)) {
      SnapshotHeader header = SnapshotHeader.parseDelimitedFrom(in);
      if (header == null) {
        throw new IOException("empty snapshot file " + file);
      }
      List<MvccStore.SnapshotEntry> records = new ArrayList<>((int) Math.min(header.getRecords(), 1 << 20));
      for (long i = 0; i < header.getRecords(); i++) {
        SnapshotRecord record = SnapshotRecord.parseDelimitedFrom(in);
        records.add(new MvccStore.SnapshotEntry(record.getKv(), record.getSub()));
      }
      Leases leases = new Leases();
      for (long i = 0; i < header.getLeases(); i++) {
        SnapshotLease lease = SnapshotLease.parseDelimitedFrom(in);
        leases.restore(lease.getId(), lease.getTtl(), lease.getRefreshedMillis());
      }
      leases.restoreNextId(header.getNextLeaseId());
      return MvccStore.restore(header.getRevision(), header.getCompactRevision(), records, leases);
    }
  }
}
