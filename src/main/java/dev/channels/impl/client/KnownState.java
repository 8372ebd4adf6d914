package dev.channels.impl.client;

import dev.channels.ChannelClient;
import dev.channels.ChannelStatus;
import dev.channels.ChannelUnavailableException;
import dev.channels.impl.protocol.Failure;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a client last learned about one channel, for the synchronous getters of its {@link
 * dev.channels.Channel}s: from every status it sees, and from {@code CLOSED} failures. Each field
 * is individually up to date; together they are not a snapshot (use {@code status()} for that).
 *
 * <p>Held by every channel of its name, so shared by them; its client holds it only weakly, and
 * forgets it once no channel of the name is reachable (see {@link EventBusChannelClient}).
 */
final class KnownState {

  private final String name;
  private volatile int capacity = ChannelClient.UNKNOWN_CAPACITY;
  private volatile int size;
  private volatile boolean closed;
  private volatile boolean finished;
  /** Why the channel was lost with its owner's node (clustered), until it is seen served again; or {@code null}. */
  private volatile String lost;
  /** What waits on the channel (requests and consumers), told when it is lost or moves. */
  interface Watcher {
    /** The channel was lost with its owner's node: fail with {@code failure}. */
    void lost(ChannelUnavailableException failure);

    /**
     * The replicated channel was taken over by another node after its owner's node left: what was
     * sent to the old owner and not answered will never be; send it again.
     */
    void moved();
  }

  /** Told when the channel is lost or moves: the requests and consumers waiting on it. */
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
  /** Since when (System.nanoTime) the channel has not been served, or 0 while it is. */
  private volatile long unavailableSince;
  /** Whether a host has answered a request to the channel. */
  private volatile boolean servedOnce;

  KnownState(String name) {
    this.name = name;
  }

  /** The channel's name. */
  String name() {
    return name;
  }

  void saw(ChannelStatus status) {
    capacity = status.capacity();
    size = status.size();
    closed = status.closed();
    finished = status.finished();
  }

  /** A put or offer failed CLOSED. */
  void sawClosed() {
    closed = true;
  }

  /** A take or poll failed CLOSED: the channel is closed and drained (or deleted). */
  void sawFinished() {
    closed = true;
    finished = true;
    size = 0;
  }

  /** The host said the channel is not served for now (UNAVAILABLE). */
  void sawUnavailable() {
    if (unavailableSince == 0) {
      unavailableSince = System.nanoTime() | 1; // never 0
    }
  }

  /**
   * The channel's owner node left the cluster, and the channel with it: everything waiting on it
   * fails at once with {@code failure}, and until it is served again (created anew), nobody at its
   * address (and no channel of its name in the registry's list) means this rather than "not found".
   */
  void sawLost(String why) {
    lost = why;
    unavailableSince = 0; // whatever was known of a restart is moot: nobody at its address asks the registry again
    ChannelUnavailableException failure = lostFailure();
    for (Watcher waiting : watchers) {
      waiting.lost(failure);
    }
  }

  /** The replicated channel was taken over by another node: what waits on it sends again. */
  void sawMoved() {
    lost = null;
    for (Watcher waiting : watchers) {
      waiting.moved();
    }
  }

  /** Why the channel was lost, as an exception; {@code null} if it was not. */
  ChannelUnavailableException lostFailure() {
    String why = lost;
    return why == null ? null : new ChannelUnavailableException(Failure.UNAVAILABLE.message(why));
  }

  /** Tells {@code waiting} if the channel is lost or moves, until {@link #forget}. */
  void watch(Watcher waiting) {
    watchers.add(waiting);
  }

  void forget(Watcher waiting) {
    watchers.remove(waiting);
  }

  /** The host answered a request to the channel: it is served. */
  void sawServed() {
    if (!servedOnce) {
      servedOnce = true;
    }
    if (lost != null) {
      lost = null;
    }
    if (unavailableSince != 0) {
      unavailableSince = 0;
    }
  }

  /**
   * Whether the channel was last seen unavailable: then nobody at its address means it is still
   * being restarted, not that it does not exist.
   */
  boolean unavailable() {
    return unavailableSince != 0;
  }

  /** Whether a host has answered a request to the channel, ever. */
  boolean servedOnce() {
    return servedOnce;
  }

  int capacity() {
    return capacity;
  }

  int size() {
    return size;
  }

  boolean closed() {
    return closed;
  }

  boolean finished() {
    return finished;
  }
}
