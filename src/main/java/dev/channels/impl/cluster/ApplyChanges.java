package dev.channels.impl.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One write of a replicated channel: the new value of each part of its state it changed ({@link
 * ReplicaCodec}), an empty one for a part it removed. Applied by Hazelcast to the channel's one
 * entry, and to its backups the same way (an entry processor's backup is itself), before the write
 * completes.
 *
 * <p>Of one incarnation of the channel: a created channel's first write ({@code fresh}) replaces
 * whatever the entry held (a deleted namesake's state, if its removal has not come yet) and records
 * its incarnation (part {@value ReplicaCodec#INCARNATION}); every later write, also by the nodes
 * that take the channel over, applies only to the entry of its incarnation, and otherwise changes
 * nothing and answers {@code false}. So a deleted channel's late write never mixes into its namesake's state,
 * nor does the deleted channel's removal ({@link Remove}) take it away.
 *
 * <p>The maps hold their values as objects ({@code InMemoryFormat.OBJECT}): each write changes the
 * parts in place, and only the changes travel, to the backups too; the whole state is serialized
 * only when it is read (at a takeover) or a partition migrates.
 */
public final class ApplyChanges implements EntryProcessor<String, HashMap<String, byte[]>, Boolean>, DataSerializable {

  /** The value that removes a part. */
  static final byte[] REMOVE = new byte[0];

  private long incarnation;
  private boolean fresh;
  private Map<String, byte[]> changes;

  /** For Hazelcast, which reads it then. */
  public ApplyChanges() {
  }

  /**
   * @param incarnation the channel's incarnation
   * @param fresh whether this is the first write of a created channel
   */
  ApplyChanges(long incarnation, boolean fresh, Map<String, byte[]> changes) {
    this.incarnation = incarnation;
    this.fresh = fresh;
    this.changes = changes;
  }

  @Override
  public Boolean process(Map.Entry<String, HashMap<String, byte[]>> entry) {
    HashMap<String, byte[]> state = entry.getValue();
    if (fresh) {
      state = new HashMap<>();
      state.put(ReplicaCodec.INCARNATION, ByteBuffer.allocate(Long.BYTES).putLong(incarnation).array());
    } else if (!isOf(state, incarnation)) {
      return false;
    }
    for (Map.Entry<String, byte[]> change : changes.entrySet()) {
      if (change.getValue().length == 0) {
        state.remove(change.getKey());
      } else {
        state.put(change.getKey(), change.getValue());
      }
    }
    entry.setValue(state);
    return true;
  }

  /** The incarnation an entry's state records; 0 for none. */
  static long incarnationOf(Map<String, byte[]> state) {
    byte[] incarnation = state == null ? null : state.get(ReplicaCodec.INCARNATION);
    return incarnation == null ? 0 : ByteBuffer.wrap(incarnation).getLong();
  }

  private static boolean isOf(Map<String, byte[]> state, long incarnation) {
    return state != null && incarnationOf(state) == incarnation;
  }

  /** A deleted channel's removal: its entry goes, unless a namesake's state replaced it already. */
  public static final class Remove implements EntryProcessor<String, HashMap<String, byte[]>, Void>, DataSerializable {

    private long incarnation;

    /** For Hazelcast, which reads it then. */
    public Remove() {
    }

    Remove(long incarnation) {
      this.incarnation = incarnation;
    }

    @Override
    public Void process(Map.Entry<String, HashMap<String, byte[]>> entry) {
      if (isOf(entry.getValue(), incarnation)) {
        entry.setValue(null);
      }
      return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeLong(incarnation);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      incarnation = in.readLong();
    }
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(incarnation);
    out.writeBoolean(fresh);
    out.writeInt(changes.size());
    for (Map.Entry<String, byte[]> change : changes.entrySet()) {
      out.writeString(change.getKey());
      out.writeByteArray(change.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    incarnation = in.readLong();
    fresh = in.readBoolean();
    int size = in.readInt();
    changes = new HashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      changes.put(in.readString(), in.readByteArray());
    }
  }
}
