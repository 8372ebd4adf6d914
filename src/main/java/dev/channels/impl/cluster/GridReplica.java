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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * A replicated channel's state in a Hazelcast map ({@link ReplicaCodec} says which entries), with
 * the map's synchronous backups (one by default): a group commit. Every change the channel makes
 * waits in {@code pending}; at the end of each turn, if no write is under way, the pending changes
 * and the channel's flags and counts go as one write (one operation on the channel's partition,
 * {@link ApplyChanges}); the answers held back for them go out once it is done, then the changes
 * made meanwhile go as the next write. Under load, each write carries many turns' changes, and an
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
  private final Future<IMap<String, byte[]>> map;
  private final String name;
  private final String suffix;
  private final ChannelSettings settings;
  private final Supplier<ChannelStatus> status;
  /** The changes not written yet, by entry key; {@link ApplyChanges#REMOVE} removes the entry. */
  private LinkedHashMap<String, byte[]> pending = new LinkedHashMap<>();
  /** Whether the flags or counts changed since the last write began (always, after a change). */
  private boolean metaChanged;
  private List<Runnable> waitingForPending = new ArrayList<>();
  /** The answers waiting for the write under way; {@code null} while none is. */
  private List<Runnable> waitingForWrite;
  private Future<Void> lastWrite = Future.succeededFuture();
  /** The number of the next log entry. */
  private long nextCommit;
  /** The logged changes not yet folded into the entries, by log entry number, in order. */
  private final java.util.TreeMap<Long, LinkedHashMap<String, byte[]>> unfolded = new java.util.TreeMap<>();
  private boolean folding;
  /** Run once nothing is left to fold (a deleted channel's map goes then). */
  private final List<Runnable> foldedAll = new ArrayList<>();
  private long nextItem;
  private boolean joinPublished;
  /** No longer this node's to write (evicted, deleted). */
  private boolean detached;
  /** This node left the data grid (it is shutting down): nothing more is written, nor acknowledged. */
  private boolean gone;

  /**
   * @param nextItem the number of the next item put (above every item already in the map)
   * @param joinPublished whether the channel's end was published already
   * @param leftover the log entries its last owner had not folded yet (a takeover): folded first
   */
  GridReplica(Vertx vertx, HazelcastInstance hazelcast, String mapName, String name, ChannelSettings settings,
      Supplier<ChannelStatus> status, long nextItem, boolean joinPublished,
      java.util.SortedMap<Long, LinkedHashMap<String, byte[]>> leftover) {
    this.vertx = vertx;
    this.name = name;
    this.suffix = "@" + name;
    this.settings = settings;
    this.status = status;
    this.nextItem = nextItem;
    this.joinPublished = joinPublished;
    // getting a map's proxy may ask the other members: not on the event loop
    this.map = vertx.executeBlocking(() -> hazelcast.getMap(mapName), false);
    metaChanged = true; // its settings are written first
    unfolded.putAll(leftover);
    nextCommit = leftover.isEmpty() ? 0 : leftover.lastKey() + 1;
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      fold(context);
      turnEnded();
    });
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
    changes.put(ReplicaCodec.META + suffix, ReplicaCodec.meta(meta()));
    metaChanged = false;
    waitingForWrite = waitingForPending;
    waitingForPending = new ArrayList<>();
    // completes on the context of the host serving the channel now (another one after a host restart)
    lastWrite = attempt(changes, vertx.getOrCreateContext());
  }

  /**
   * Writes one turn's changes as one entry of the channel's log ({@code c<n>@<name>}): a single-key
   * write, the fastest the grid has, and atomic; once it is done (and backed up) the answers go
   * out, and the changes are folded into the channel's entries in the background ({@link #fold}).
   */
  private Future<Void> attempt(LinkedHashMap<String, byte[]> changes, Context context) {
    long commit = nextCommit;
    String logKey = ReplicaCodec.key(ReplicaCodec.COMMIT, commit, suffix);
    byte[] logged = ReplicaCodec.changes(changes);
    return map.compose(grid -> Future.fromCompletionStage(grid.setAsync(logKey, logged), context))
        .<Void>mapEmpty()
        .transform(written -> {
          if (written.succeeded() || detached) {
            if (written.succeeded()) {
              nextCommit = commit + 1;
              unfolded.put(commit, changes);
              fold(context);
            }
            written(true);
          } else if (written.cause() instanceof HazelcastInstanceNotActiveException) {
            // this node is leaving the cluster: what was not written must not be acknowledged; the
            // node that takes the channel over answers the requests sent again to it
            gone = true;
            detached = true;
            waitingForPending.clear();
            written(false);
          } else {
            LOG.log(System.Logger.Level.WARNING, "channel ''{0}'': writing its replica failed ({1}); trying again",
                name, written.cause().toString());
            return retryLater(changes, context);
          }
          return Future.<Void>succeededFuture();
        });
  }

  private Future<Void> retryLater(LinkedHashMap<String, byte[]> changes, Context context) {
    Promise<Void> retried = Promise.promise();
    vertx.setTimer(RETRY_MS, id -> attempt(changes, context).onComplete(retried));
    return retried.future();
  }

  /**
   * Folds the logged changes into the channel's entries, all that were logged since the last fold
   * in one atomic operation on its partition, which also removes their log entries ({@link
   * ApplyChanges}): off the answers' path. A node that takes the channel over replays what is left
   * of the log on top of the entries (a log entry goes only with the fold that applied it, so the
   * replay sees every change, some twice, which is harmless: each sets or removes an entry).
   */
  private void fold(Context context) {
    if (folding || unfolded.isEmpty() || gone) {
      return;
    }
    folding = true;
    LinkedHashMap<String, byte[]> merged = new LinkedHashMap<>();
    List<Long> commits = new ArrayList<>(unfolded.keySet());
    unfolded.values().forEach(merged::putAll); // in commit order: a later change of an entry wins
    commits.forEach(commit -> merged.put(ReplicaCodec.key(ReplicaCodec.COMMIT, commit, suffix), ApplyChanges.REMOVE));
    map.compose(grid -> Future.fromCompletionStage(grid.submitToKeys(merged.keySet(), new ApplyChanges(merged)), context))
        .onComplete(folded -> {
          folding = false;
          if (folded.succeeded()) {
            commits.forEach(unfolded::remove);
          } else if (!(folded.cause() instanceof HazelcastInstanceNotActiveException)) {
            LOG.log(System.Logger.Level.WARNING, "channel ''{0}'': folding its replica''s log failed ({1}); trying again",
                name, folded.cause().toString());
          }
          if (!unfolded.isEmpty() && !gone) {
            if (folded.succeeded()) {
              fold(context);
            } else {
              vertx.setTimer(RETRY_MS, id -> fold(context));
            }
          } else {
            foldedAll.forEach(Runnable::run);
            foldedAll.clear();
          }
        });
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
    pending.put(ReplicaCodec.key(kind, n, suffix), value);
    metaChanged = true;
  }

  /** The item left the channel: its entries go, or are never written if they were not yet. */
  private void removeItem(long n) {
    if (detached) {
      return;
    }
    metaChanged = true;
    String item = ReplicaCodec.key(ReplicaCodec.ITEM, n, suffix);
    String delivery = ReplicaCodec.key(ReplicaCodec.DELIVERY, n, suffix);
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
  public void leases(java.util.Map<String, String> nodesByLease) {
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

  @Override
  public void destroy() {
    detach();
    Runnable destroyMap = () -> map.onSuccess(grid -> vertx.executeBlocking(() -> {
      grid.destroy();
      return null;
    }, false));
    lastWrite.onComplete(written -> {
      if (folding || !unfolded.isEmpty()) {
        foldedAll.add(destroyMap);
      } else {
        destroyMap.run();
      }
    });
  }

  /** The flags, counts and settings a replica's meta entry holds. */
  static ChannelSettings settingsOf(JsonObject meta) {
    return new ChannelSettings(meta.getInteger("capacity"), meta.getInteger("maxDeliveries"), meta.getString("deadLetter"),
        true, meta.getBoolean("closeWhenDetached", false));
  }
}
