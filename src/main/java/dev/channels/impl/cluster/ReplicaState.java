package dev.channels.impl.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.channels.impl.host.ChannelSettings;
import dev.channels.impl.host.HostedItem;
import dev.channels.impl.host.Restoring;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replicated channel's state as its map holds it, read by the node that takes it over after its
 * owner's death, and restored into the channel it serves from then on.
 */
final class ReplicaState {

  private final JsonObject meta;
  private final long incarnation;
  private final TreeMap<Long, HostedItem> items = new TreeMap<>();
  private final Map<Long, ReplicaCodec.Delivered> deliveries = new HashMap<>();
  private final TreeMap<Long, ReplicaCodec.Remembered> keys = new TreeMap<>();
  private final Map<Long, ReplicaCodec.Producer> producers = new HashMap<>();
  private Map<String, String> leases = Map.of();
  private int inFlight;

  private ReplicaState(JsonObject meta, long incarnation) {
    this.meta = meta;
    this.incarnation = incarnation;
  }

  /**
   * Reads the whole map of the channel {@code name} (a worker's job); {@code null} if it holds no
   * channel (a dead-letter channel claimed with its source, never created).
   */
  static Future<ReplicaState> read(Vertx vertx, HazelcastInstance hazelcast, String mapName, String name) {
    return vertx.executeBlocking(() -> {
      IMap<String, HashMap<String, byte[]>> map = hazelcast.getMap(mapName);
      HashMap<String, byte[]> entries = map.get(name); // a copy
      byte[] meta = entries == null ? null : entries.remove(ReplicaCodec.META);
      if (meta == null) {
        return null;
      }
      ReplicaState state = new ReplicaState(ReplicaCodec.meta(meta), ApplyChanges.incarnationOf(entries));
      entries.remove(ReplicaCodec.INCARNATION);
      entries.forEach((key, value) -> {
        long n = ReplicaCodec.numberOf(key);
        switch (ReplicaCodec.kindOf(key)) {
          case ReplicaCodec.ITEM -> state.items.put(n, ReplicaCodec.item(value));
          case ReplicaCodec.DELIVERY -> state.deliveries.put(n, ReplicaCodec.delivery(value));
          case ReplicaCodec.KEY -> state.keys.put(n, ReplicaCodec.remembered(value));
          case ReplicaCodec.PRODUCER -> state.producers.put(n, ReplicaCodec.producer(value));
          case ReplicaCodec.LEASES -> state.leases = ReplicaCodec.leases(value);
          default -> throw new IllegalStateException("channel '" + name + "': unknown replica entry " + key);
        }
      });
      return state;
    }, false);
  }

  /** Which channel of its name it is: the new owner's writes are of the same. */
  long incarnation() {
    return incarnation;
  }

  ChannelSettings settings() {
    return GridReplica.settingsOf(meta);
  }

  /** Above every item in the map: the number of the next item put. */
  long nextItem() {
    long next = meta.getLong("nextItem", 0L);
    return items.isEmpty() ? next : Math.max(next, items.lastKey() + 1);
  }

  boolean joinPublished() {
    return meta.getBoolean("joinPublished", false);
  }

  int items() {
    return items.size();
  }

  /**
   * What the counts say is in the channel (put, less taken and dead-lettered) and is not among its
   * items; 0 when the replica is whole.
   */
  long unaccounted() {
    return meta.getLong("put") - meta.getLong("taken") - meta.getLong("deadLettered") - items.size();
  }

  /** How many items were in flight (or given back) at the failover: they are delivered again, marked. */
  int delivered() {
    return inFlight;
  }

  /** Restores it into the channel being taken over: items in put order, then flags and counts, then keys. */
  void restoreInto(Restoring restoring) {
    items.forEach((n, item) -> {
      item.replicaKey(n);
      ReplicaCodec.Delivered delivered = deliveries.get(n);
      if (delivered == null) {
        restoring.item(item, 0, 0);
      } else if (delivered.stage() == ReplicaCodec.DEAD_LETTERING) {
        restoring.deadLetter(item, delivered.deliveries(), delivered.order(), delivered.reason(), delivered.error());
      } else {
        inFlight++;
        restoring.item(item, delivered.deliveries(), delivered.order());
      }
    });
    restoring.flags(meta.getBoolean("closed"), meta.getLong("put"), meta.getLong("taken"), meta.getLong("redelivered"),
        meta.getLong("deadLettered"), joinPublished());
    keys.forEach((order, remembered) -> restoring.key(remembered.key(), remembered.enqueued(), order));
    restoring.leases(leases);
    producers.forEach((slot, known) -> restoring.producer(slot.intValue(), known.producer(), known.ranges(), known.partial()));
  }
}
