package dev.channels.impl.host;

import dev.channels.ChannelStatus;
import dev.channels.impl.core.ChannelObserver;
import dev.channels.impl.core.IdempotencyKeys;
import dev.channels.impl.core.ProducerSequences;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The copy of one replicated channel's state that outlives its owner (in a cluster's data grid).
 * It sees every change of the channel's state as its observer, and every idempotency key the
 * channel remembers; it writes what each turn of the channel changed, and holds back every answer
 * the channel sends until what came before it is written: nobody hears of a change that a failover
 * could undo. Confined to the host's context, like its channel.
 */
public interface ChannelReplica extends ChannelObserver<HostedItem>, IdempotencyKeys.Listener,
    ProducerSequences.Listener {

  /** Runs {@code answer} once every change seen so far is replicated: at once if there is none. */
  void afterReplicated(Runnable answer);

  /** A turn of the channel ended: writes what it changed (and what earlier turns did, if not written yet). */
  void turnEnded();

  /**
   * The channel's attached producers are now these: each lease's id and the node it was granted to
   * ({@code ""} outside a cluster). Renewals are not replicated: a node that takes the channel over
   * gives every lease a whole lease time.
   */
  void leases(Map<String, String> nodesByLease);

  /** The channel's end was published: a node that takes it over does not publish it again. */
  void joinPublished();

  /** The channel is no longer this node's (another node owns it now): writes nothing more. */
  void detach();

  /** The channel was deleted: its state goes from the grid. */
  void destroy();

  /** Opens the replicas of the channels a directory serves. */
  @FunctionalInterface
  interface Factory {
    /** The replica of the channel {@code name}, which already holds {@code settings} (or is written them now). */
    ChannelReplica open(String name, ChannelSettings settings, Supplier<ChannelStatus> status);
  }
}
