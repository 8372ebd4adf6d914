package dev.channels.impl.host;

import dev.channels.Channel;
import dev.channels.impl.core.ChannelState;
import dev.channels.impl.protocol.Protocol;

/**
 * What a hosted channel is created with, every default resolved.
 *
 * @param capacity its bound, {@link Channel#UNBOUNDED}, or 0 for rendezvous
 * @param maxDeliveries deliveries an item may fail before it is dead-lettered; {@link
 *     ChannelState#UNLIMITED_DELIVERIES} for no limit
 * @param deadLetter the channel its dead letters go to
 * @param replicated its whole state is kept in the cluster's data grid, so that it survives its owner's death
 * @param closeWhenDetached whether it closes when its last attached producer detaches (or its lease
 *     ends)
 */
public record ChannelSettings(int capacity, int maxDeliveries, String deadLetter, boolean replicated,
                              boolean closeWhenDetached) {

  /** Settings of a channel neither replicated nor closing when its producers detach. */
  public ChannelSettings(int capacity, int maxDeliveries, String deadLetter) {
    this(capacity, maxDeliveries, deadLetter, false, false);
  }

  /**
   * The settings of a new channel: what was asked, the host's defaults for the rest ({@code null}
   * = not asked).
   */
  public static ChannelSettings of(String name, int capacity, Integer maxDeliveries, String deadLetter,
      Boolean replicated, Boolean closeWhenDetached, HostConfig config) {
    return new ChannelSettings(capacity, maxDeliveries != null ? maxDeliveries : config.maxDeliveries(),
        deadLetter != null ? deadLetter : Protocol.defaultDeadLetter(name), Boolean.TRUE.equals(replicated),
        Boolean.TRUE.equals(closeWhenDetached));
  }

  /**
   * The settings of a dead-letter channel the host creates because an item must go there: unbounded,
   * and its items are never dead-lettered for their deliveries (a rejected one still goes on to its
   * own dead-letter channel).
   */
  static ChannelSettings deadLetterChannel(String name, boolean replicated) {
    return new ChannelSettings(Channel.UNBOUNDED, ChannelState.UNLIMITED_DELIVERIES, Protocol.defaultDeadLetter(name),
        replicated, false);
  }

  /**
   * What differs between these settings and what a create asks for ({@code null} = not asked), as
   * text for a conflict; {@code null} if nothing does.
   */
  String conflictWith(int askedCapacity, Integer askedMaxDeliveries, String askedDeadLetter, Boolean askedReplicated,
      Boolean askedCloseWhenDetached) {
    if (askedReplicated != null && askedReplicated != replicated) {
      return replicated ? "its state replicated, not unreplicated" : "its state unreplicated, not replicated";
    }
    if (askedCapacity != capacity) {
      return "capacity " + describe(capacity) + ", not " + describe(askedCapacity);
    }
    if (askedMaxDeliveries != null && askedMaxDeliveries != maxDeliveries) {
      return "maxDeliveries " + maxDeliveries + ", not " + askedMaxDeliveries;
    }
    if (askedDeadLetter != null && !askedDeadLetter.equals(deadLetter)) {
      return "deadLetter '" + deadLetter + "', not '" + askedDeadLetter + "'";
    }
    if (askedCloseWhenDetached != null && askedCloseWhenDetached != closeWhenDetached) {
      return "closeWhenDetached " + closeWhenDetached + ", not " + askedCloseWhenDetached;
    }
    return null;
  }

  private static String describe(int capacity) {
    return capacity == Channel.UNBOUNDED ? "unbounded" : String.valueOf(capacity);
  }
}
