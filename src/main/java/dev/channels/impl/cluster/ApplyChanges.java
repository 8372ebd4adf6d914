package dev.channels.impl.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One write of a replicated channel: the new value of each entry it changed, an empty one for an
 * entry it removed. Applied by Hazelcast to the channel's partition as one operation, and to its
 * backups the same way (an entry processor's backup is itself), before the write completes.
 */
public final class ApplyChanges implements EntryProcessor<String, byte[], Void>, DataSerializable {

  /** The value that removes an entry. */
  static final byte[] REMOVE = new byte[0];

  private Map<String, byte[]> changes;

  /** For Hazelcast, which reads it then. */
  public ApplyChanges() {
  }

  ApplyChanges(Map<String, byte[]> changes) {
    this.changes = changes;
  }

  @Override
  public Void process(Map.Entry<String, byte[]> entry) {
    byte[] value = changes.get(entry.getKey());
    entry.setValue(value == null || value.length == 0 ? null : value);
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
