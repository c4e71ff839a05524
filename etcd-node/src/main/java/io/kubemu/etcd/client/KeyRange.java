package io.kubemu.etcd.client;

import com.google.protobuf.ByteString;

/** Key ranges as etcd clients build them. */
public final class KeyRange {
  private static final ByteString ALL_KEYS = ByteString.copyFrom(new byte[] {0});

  private KeyRange() {}

  /**
   * The range_end that makes [prefix, range_end) hold exactly the keys starting with
   * {@code prefix} (etcdctl's --prefix); for an empty prefix, or one of only 0xff bytes, every
   * key from there on.
   */
  public static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ALL_KEYS;
  }
}
