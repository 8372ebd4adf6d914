package dev.channels.impl.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import dev.channels.ChannelStatus;
import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Delivery;
import dev.channels.impl.host.ChannelReplica;
import dev.channels.impl.host.ChannelSettings;
import dev.channels.impl.host.HostedItem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A replicated channel's state in one entry of a Hazelcast map ({@link ReplicaCodec} says how),
 * with the map's synchronous backups (one by default): a group commit. Every change the channel
 * makes waits in {@code pending}; at the end of each turn, if no write is under way, the pending
 * changes and the channel's flags and counts go as one write (one operation on the entry, {@link
 * ApplyChanges}); the answers held back for them go out once it is done, then the changes made
 * meanwhile go as the next write. Under load, each write carries many turns' changes, and an
 * item put and taken within one write's time is never written at all.
 *
 * <p>Invariant: an answer waits for the write that carries the last change made before it (so,
 * writes completing in order, for every change made before it).
 *
 * <p>Confined to the host's context.
 */
final class GridReplica implements ChannelReplica {

  private static final System.Logger LOG = System.getLogger(GridReplica.class.getName());
  private static final long RETRY_MS = 200;

  private final Vertx vertx;
  private final Future<IMap<String, HashMap<String, byte[]>>> map;
  private final String name;
  private final ChannelSettings settings;
  private final Supplier<ChannelStatus> status;
  /** The changes not written yet, by part; {@link ApplyChanges#REMOVE} removes the part. */
  private LinkedHashMap<String, byte[]> pending = new LinkedHashMap<>();
  /** Whether the flags or counts changed since the last write began (always, after a change). */
  private boolean metaChanged;
  private List<Runnable> waitingForPending = new ArrayList<>();
  /** The answers waiting for the write under way; {@code null} while none is. */
  private List<Runnable> waitingForWrite;
  private Future<Void> lastWrite = Future.succeededFuture();
  /** Which channel of this name it is ({@link ApplyChanges}): its writes apply to its own state only. */
  private final long incarnation;
  /** Whether the next write is a created channel's first: it replaces whatever the entry held. */
  private boolean fresh;
  private long nextItem;
  private boolean joinPublished;
  /** No longer this node's to write (evicted, deleted). */
  private boolean detached;
  /** This node left the data grid (it is shutting down): nothing more is written, nor acknowledged. */
  private boolean gone;

  /** @param restored the state of the channel taken over; {@code null} for a created one */
  GridReplica(Vertx vertx, HazelcastInstance hazelcast, String mapName, String name, ChannelSettings settings,
      Supplier<ChannelStatus> status, ReplicaState restored) {
    this.vertx = vertx;
    this.name = name;
    this.settings = settings;
    this.status = status;
    this.fresh = restored == null;
    // a created channel's incarnation: random, and never 0 (an entry without one)
    this.incarnation = fresh ? ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE) : restored.incarnation();
    this.nextItem = fresh ? 0 : restored.nextItem();
    this.joinPublished = !fresh && restored.joinPublished();
    // getting a map's proxy may ask the other members: not on the event loop
    this.map = vertx.executeBlocking(() -> hazelcast.getMap(mapName), false);
    metaChanged = true; // its settings are written first
    vertx.getOrCreateContext().runOnContext(v -> turnEnded());
  }

  @Override
  public void afterReplicated(Runnable answer) {
    if (gone) {
      return; // what it answers may not be replicated: the requests go again to the channel's next owner
    }
    if (detached) { // its answers are refusals now; only those of the write under way still wait for it
      if (waitingForWrite != null) {
        waitingForWrite.add(answer);
      } else {
        answer.run();
      }
    } else if (!pending.isEmpty() || metaChanged) {
      waitingForPending.add(answer);
    } else if (waitingForWrite != null) {
      waitingForWrite.add(answer);
    } else {
      answer.run();
    }
  }

  @Override
  public void turnEnded() {
    if (waitingForWrite == null && !detached && (metaChanged || !pending.isEmpty())) {
      write();
    }
  }

  private void write() {
    LinkedHashMap<String, byte[]> changes = pending;
    pending = new LinkedHashMap<>();
    changes.put(ReplicaCodec.META, ReplicaCodec.meta(meta()));
    metaChanged = false;
    waitingForWrite = waitingForPending;
    waitingForPending = new ArrayList<>();
    // completes on the context of the host serving the channel now (another one after a host restart)
    lastWrite = attempt(new ApplyChanges(incarnation, fresh, changes), vertx.getOrCreateContext());
    fresh = false;
  }

  /**
   * Writes the changes: one operation on the channel's entry. Its completion runs on the thread that
   * completes it, then on {@code context} (Hazelcast's default for completions is the common fork-join
   * pool, which on a machine of two cores or fewer starts a thread per completion).
   */
  private Future<Void> attempt(ApplyChanges changes, Context context) {
    return map.compose(grid -> {
          Promise<Boolean> done = Promise.promise();
          grid.submitToKey(name, changes).whenCompleteAsync((applied, failure) ->
              context.runOnContext(v ->
                  done.handle(failure == null ? Future.succeededFuture(applied) : Future.failedFuture(failure))),
              Runnable::run);
          return done.future();
        })
        .transform(written -> {
          if (written.succeeded() && !written.result() && !detached) {
            // the entry is another incarnation's: a namesake created after this one was deleted
            // elsewhere, without this node knowing yet; what this one answers would not be replicated
            LOG.log(System.Logger.Level.WARNING, "channel ''{0}'': its replica holds a namesake created since;"
                + " this copy no longer writes, nor answers", name);
            leave();
            written(false);
          } else if (written.succeeded() || detached) {
            written(true);
          } else if (written.cause() instanceof HazelcastInstanceNotActiveException) {
            // this node is leaving the cluster: what was not written must not be acknowledged; the
            // node that takes the channel over answers the requests sent again to it
            leave();
            written(false);
          } else {
            LOG.log(System.Logger.Level.WARNING, "channel ''{0}'': writing its replica failed ({1}); trying again",
                name, written.cause().toString());
            return retryLater(changes, context);
          }
          return Future.<Void>succeededFuture();
        });
  }

  /** Writes nothing more, nor answers anything more. */
  private void leave() {
    gone = true;
    detached = true;
    waitingForPending.clear();
  }

  private Future<Void> retryLater(ApplyChanges changes, Context context) {
    Promise<Void> retried = Promise.promise();
    vertx.setTimer(RETRY_MS, id -> attempt(changes, context).onComplete(retried));
    return retried.future();
  }

  /** A write is done (or can never be): its answers go out (or never do), and what changed meanwhile goes next. */
  private void written(boolean answer) {
    List<Runnable> answers = waitingForWrite;
    waitingForWrite = null;
    if (answer) {
      answers.forEach(Runnable::run);
    }
    turnEnded();
  }

  private JsonObject meta() {
    ChannelStatus now = status.get();
    return new JsonObject()
        .put("capacity", settings.capacity())
        .put("maxDeliveries", settings.maxDeliveries())
        .put("deadLetter", settings.deadLetter())
        .put("closeWhenDetached", settings.closeWhenDetached())
        .put("closed", now.closed())
        .put("put", now.totalPut())
        .put("taken", now.totalTaken())
        .put("redelivered", now.redelivered())
        .put("deadLettered", now.deadLettered())
        .put("nextItem", nextItem)
        .put("joinPublished", joinPublished);
  }

  private void set(char kind, long n, byte[] value) {
    if (detached) {
      return;
    }
    pending.put(ReplicaCodec.key(kind, n), value);
    metaChanged = true;
  }

  /** The item left the channel: its entries go, or are never written if they were not yet. */
  private void removeItem(long n) {
    if (detached) {
      return;
    }
    metaChanged = true;
    String item = ReplicaCodec.key(ReplicaCodec.ITEM, n);
    String delivery = ReplicaCodec.key(ReplicaCodec.DELIVERY, n);
    if (pending.remove(item) != null) { // put since the last write began: its delivery entry is as new
      pending.remove(delivery);
      return;
    }
    pending.put(item, ApplyChanges.REMOVE);
    pending.put(delivery, ApplyChanges.REMOVE);
  }

  private void delivered(Delivery<HostedItem> delivery, byte stage) {
    set(ReplicaCodec.DELIVERY, delivery.item().replicaKey(), ReplicaCodec.delivery(stage, delivery.deliveries(),
        delivery.order(), delivery.deadLetterReason(), delivery.error()));
  }

  @Override
  public void put(HostedItem item) {
    long n = nextItem++;
    item.replicaKey(n);
    set(ReplicaCodec.ITEM, n, ReplicaCodec.item(item));
  }

  @Override
  public void taken(HostedItem item) {
    removeItem(item.replicaKey());
  }

  @Override
  public void handedOut(Delivery<HostedItem> delivery) {
    if (delivery.isInFlight()) {
      delivered(delivery, ReplicaCodec.DELIVERED);
    } else {
      removeItem(delivery.item().replicaKey()); // a plain take of an item given back
    }
  }

  @Override
  public void acknowledged(Delivery<HostedItem> delivery) {
    removeItem(delivery.item().replicaKey());
  }

  @Override
  public void givenBack(Delivery<HostedItem> delivery, ChannelState.Returned how) {
    delivered(delivery, ReplicaCodec.DELIVERED); // returned or held back: delivered before, either way
  }

  @Override
  public void deadLettering(Delivery<HostedItem> delivery) {
    delivered(delivery, ReplicaCodec.DEAD_LETTERING);
  }

  @Override
  public void deadLettered(Delivery<HostedItem> delivery) {
    removeItem(delivery.item().replicaKey());
  }

  @Override
  public void closed() {
    metaChanged = !detached;
  }

  @Override
  public void finished() {
    metaChanged = !detached;
  }

  @Override
  public void remembered(String key, int enqueued, long order) {
    set(ReplicaCodec.KEY, order, ReplicaCodec.remembered(key, enqueued));
  }

  @Override
  public void forgotten(long order) {
    set(ReplicaCodec.KEY, order, ApplyChanges.REMOVE);
  }

  @Override
  public void producerChanged(int slot, String producer, long[] ranges, long[] partial) {
    set(ReplicaCodec.PRODUCER, slot, ReplicaCodec.producer(producer, ranges, partial));
  }

  @Override
  public void producerForgotten(int slot) {
    set(ReplicaCodec.PRODUCER, slot, ApplyChanges.REMOVE);
  }

  @Override
  public void leases(Map<String, String> nodesByLease) {
    set(ReplicaCodec.LEASES, 0, ReplicaCodec.leases(nodesByLease));
  }

  @Override
  public void joinPublished() {
    joinPublished = true;
    metaChanged = !detached;
    turnEnded();
  }

  @Override
  public void detach() {
    detached = true;
    pending.clear();
    metaChanged = false;
    List<Runnable> answers = waitingForPending;
    waitingForPending = new ArrayList<>();
    answers.forEach(Runnable::run);
  }

  /**
   * Removes its state once its last write is done, unless a namesake's replaced it. The map stays
   * (empty), for a namesake: destroying it could take away a namesake's state written meanwhile.
   */
  @Override
  public void destroy() {
    detach();
    lastWrite.onComplete(written -> map.onSuccess(grid -> grid.submitToKey(name, new ApplyChanges.Remove(incarnation))));
  }

  /** The flags, counts and settings a replica's meta entry holds. */
  static ChannelSettings settingsOf(JsonObject meta) {
    return new ChannelSettings(meta.getInteger("capacity"), meta.getInteger("maxDeliveries"), meta.getString("deadLetter"),
        true, meta.getBoolean("closeWhenDetached", false));
  }
}
