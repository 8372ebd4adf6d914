package dev.channels.impl.client;

import dev.channels.ChannelClient;
import dev.channels.ChannelStatus;

/**
 * What a client last learned about one channel, for the synchronous getters of its {@link
 * dev.channels.Channel}s: from every status it sees, and from {@code CLOSED} failures. Each field
 * is individually up to date; together they are not a snapshot (use {@code status()} for that).
 *
 * <p>Held by every channel of its name, so shared by them; its client holds it only weakly, and
 * forgets it once no channel of the name is reachable (see {@link EventBusChannelClient}).
 */
final class KnownState {

  private volatile int capacity = ChannelClient.UNKNOWN_CAPACITY;
  private volatile int size;
  private volatile boolean closed;
  private volatile boolean finished;
  /** Since when (System.nanoTime) the channel has not been served, or 0 while it is. */
  private volatile long unavailableSince;

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

  /** The host answered a request to the channel: it is served. */
  void sawServed() {
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
