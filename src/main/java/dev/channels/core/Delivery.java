package dev.channels.core;

/**
 * An item handed out by a {@link ChannelState}: to an acknowledging taker it stays <em>in
 * flight</em> until its owner {@link ChannelState#acknowledge acknowledges} it or {@link
 * ChannelState#giveBack gives it back}; given back, the same delivery is handed out again.
 *
 * @param <E> the item type
 */
public final class Delivery<E> {

  final ChannelState<E> channel;
  private final E item;
  /** The order of its first delivery: returned items are re-buffered in this order. */
  private final long order;
  int deliveries;
  boolean inFlight;

  Delivery(ChannelState<E> channel, E item, long order) {
    this.channel = channel;
    this.item = item;
    this.order = order;
  }

  public E item() {
    return item;
  }

  /** How many times the item has been handed out, the latest time included. */
  public int deliveries() {
    return deliveries;
  }

  /** Whether it waits for an acknowledgement. */
  public boolean isInFlight() {
    return inFlight;
  }

  long order() {
    return order;
  }
}
