package dev.channels.impl.host;

import dev.channels.impl.core.Outcome;
import dev.channels.impl.protocol.ChannelRequest;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Replies;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The producers attached to one hosted channel, by lease: attach, renew, detach, and the ends of
 * leases that were not renewed in time or whose node left the cluster. Each detach, whatever its
 * cause, is the state machine's {@code producerDetached}, which closes a channel made to close when
 * detached once the last producer is gone.
 *
 * <p>Every lease gets the same {@code leaseMs} when granted or renewed, so the leases in the order
 * of their last grant are in the order of their expiry: one timer, armed for the first, serves them
 * all (as {@link AckDeadlines} does). Expiries are wall-clock times, so that a snapshot of the leases
 * ({@link #leases}) means the same on another node ({@link #restore}).
 *
 * <p>Confined to the host's context; every change runs in the channel's turn.
 */
final class Producers {

  private static final System.Logger LOG = System.getLogger(Producers.class.getName());

  /**
   * One attached producer's lease, as plain data.
   *
   * @param id the lease, as its attach answered
   * @param node the cluster node the producer attached from; {@code null} outside a cluster
   * @param expiresAtMs when it ends unless renewed (wall clock, ms since the epoch)
   */
  record Lease(String id, String node, long expiresAtMs) {
  }

  private final HostedChannel channel;
  /** By id, in the order of expiry (a renew moves its lease to the end). */
  private final LinkedHashMap<String, Lease> leases = new LinkedHashMap<>();
  private long timerId = -1;

  Producers(HostedChannel channel) {
    this.channel = channel;
  }

  /**
   * Attaches a producer and answers its lease; a closed channel refuses {@code CLOSED}, then one
   * with {@code limits.maxProducers} attached refuses {@code OVERLOADED}.
   */
  void attach(ChannelRequest request, Message<Object> message) {
    int limit = channel.config().maxProducers();
    if (leases.size() >= limit && !channel.state().isClosed()) {
      throw HostedChannel.refusal(Failure.OVERLOADED, channel.where() + " has " + limit
          + " attached producers (limits.maxProducers); detach one first");
    }
    Outcome outcome = channel.operations().attach();
    if (outcome != Outcome.DONE) {
      throw HostedChannel.refusal(Failure.of(outcome), channel.operations().detail(outcome, "attach", 0));
    }
    String id = UUID.randomUUID().toString();
    grant(new Lease(id, request.node(), 0));
    channel.leasesChanged();
    JsonObject granted = Replies.lease(id, leaseMs());
    channel.answer(() -> message.reply(granted));
  }

  /** Renews a lease for another {@code leaseMs}; one this channel does not hold is refused {@code NOT_FOUND}. */
  void renew(ChannelRequest request, Message<Object> message) {
    Lease lease = leases.remove(request.lease());
    if (lease == null) {
      throw HostedChannel.refusal(Failure.NOT_FOUND, channel.where() + ": no producer holds the lease '"
          + request.lease() + "' (it expired, its node left, it was detached, or it was never granted here); attach again");
    }
    grant(lease);
    JsonObject renewed = Replies.lease(lease.id(), leaseMs());
    channel.answer(() -> message.reply(renewed));
  }

  /**
   * Detaches the producer of a lease; idempotent: a lease this channel does not hold (detached
   * already, or expired) changes nothing, and the answer says so.
   */
  void detach(ChannelRequest request, Message<Object> message) {
    boolean held = leases.remove(request.lease()) != null;
    if (held) {
      channel.leasesChanged();
    }
    JsonObject detached = Replies.detached(held);
    channel.answer(() -> message.reply(detached));
    if (held) {
      channel.state().producerDetached(); // the last one may close the channel: its waiters are told after this answer
    }
  }

  /** Producers attached. */
  int size() {
    return leases.size();
  }

  /** Cluster node {@code node} left: the producers attached from there are detached. */
  void nodeLeft(String node) {
    detachAll(lease -> node.equals(lease.node()), "its node left the cluster");
  }

  /** Which node each lease was granted to (its id to its node, {@code ""} outside a cluster): what a replica keeps. */
  Map<String, String> nodesByLease() {
    Map<String, String> nodes = new LinkedHashMap<>();
    leases.values().forEach(lease -> nodes.put(lease.id(), lease.node() == null ? "" : lease.node()));
    return nodes;
  }

  /**
   * The leases, in the order of their expiry: a snapshot to {@link #restore} elsewhere (a
   * replica), or later.
   */
  List<Lease> leases() {
    return List.copyOf(leases.values());
  }

  /**
   * Attaches the producers of a snapshot ({@link #leases}) to this channel, which has none, closed
   * or not. Each lease lasts at least {@code leaseMs} from now: its producer could not renew it
   * while the channel was not served.
   */
  void restore(List<Lease> snapshot) {
    if (!leases.isEmpty()) {
      throw new IllegalStateException(channel.where() + " has producers already");
    }
    long atLeast = System.currentTimeMillis() + leaseMs();
    snapshot.stream().sorted(Comparator.comparingLong(Lease::expiresAtMs)).forEach(lease -> {
      leases.put(lease.id(), new Lease(lease.id(), lease.node(), Math.max(lease.expiresAtMs(), atLeast)));
      channel.state().producerAttached();
    });
    arm();
  }

  /** The host stops serving the channel for now: no lease ends until it is served again ({@link #resume}). */
  void suspend() {
    cancelTimer();
  }

  /**
   * A host serves the channel again (adopted): every lease lasts another {@code leaseMs} (the new
   * host's), since no producer could renew meanwhile.
   */
  void resume() {
    new ArrayList<>(leases.values()).forEach(lease -> {
      leases.remove(lease.id());
      grant(lease);
    });
    arm();
  }

  /** The channel was deleted: its producers are forgotten, nothing is closed. */
  void forget() {
    leases.clear();
    cancelTimer();
  }

  private void grant(Lease lease) {
    leases.put(lease.id(), new Lease(lease.id(), lease.node(), System.currentTimeMillis() + leaseMs()));
    if (timerId < 0) {
      arm();
    }
  }

  private long leaseMs() {
    return channel.config().leaseMs();
  }

  private void arm() {
    cancelTimer();
    if (leases.isEmpty()) {
      return;
    }
    long first = leases.values().iterator().next().expiresAtMs();
    timerId = channel.vertx().setTimer(Math.max(1, first - System.currentTimeMillis() + 1), id -> {
      timerId = -1;
      channel.inTurn(this::expireDue);
    });
  }

  private void expireDue() {
    if (channel.isDeleted() || channel.isSuspended()) {
      return;
    }
    long now = System.currentTimeMillis();
    detachAll(lease -> lease.expiresAtMs() <= now, "its lease expired (not renewed within leaseMs " + leaseMs() + ")");
    arm();
  }

  private void detachAll(Predicate<Lease> gone, String why) {
    List<Lease> detached = new ArrayList<>();
    for (Iterator<Lease> all = leases.values().iterator(); all.hasNext(); ) {
      Lease lease = all.next();
      if (gone.test(lease)) {
        all.remove();
        detached.add(lease);
      }
    }
    if (!detached.isEmpty()) {
      channel.leasesChanged();
    }
    for (Lease lease : detached) {
      LOG.log(System.Logger.Level.INFO, "{0}: detached the producer of lease {1}: {2}", channel.where(), lease.id(), why);
      channel.state().producerDetached();
    }
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      channel.vertx().cancelTimer(timerId);
      timerId = -1;
    }
  }
}
