package dev.channels.impl.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One write of a replicated channel: the new value of each part of its state it changed ({@link
 * ReplicaCodec}), an empty one for a part it removed. Applied by Hazelcast to the channel's one
 * entry, and to its backups the same way (an entry processor's backup is itself), before the write
 * completes.
 *
 * <p>The maps hold their values as objects ({@code InMemoryFormat.OBJECT}): each write changes the
 * parts in place, and only the changes travel, to the backups too; the whole state is serialized
 * only when it is read (at a takeover) or a partition migrates.
 */
public final class ApplyChanges implements EntryProcessor<String, HashMap<String, byte[]>, Void>, DataSerializable {

  /** The value that removes a part. */
  static final byte[] REMOVE = new byte[0];

  private Map<String, byte[]> changes;

  /** For Hazelcast, which reads it then. */
  public ApplyChanges() {
  }

  ApplyChanges(Map<String, byte[]> changes) {
    this.changes = changes;
  }

  @Override
  public Void process(Map.Entry<String, HashMap<String, byte[]>> entry) {
    HashMap<String, byte[]> state = entry.getValue();
    if (state == null) {
      state = new HashMap<>();
    }
    for (Map.Entry<String, byte[]> change : changes.entrySet()) {
      if (change.getValue().length == 0) {
        state.remove(change.getKey());
      } else {
        state.put(change.getKey(), change.getValue());
      }
    }
    entry.setValue(state);
    return null;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(changes.size());
    for (Map.Entry<String, byte[]> change : changes.entrySet()) {
      out.writeString(change.getKey());
      out.writeByteArray(change.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    changes = new HashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      changes.put(in.readString(), in.readByteArray());
    }
  }
}
