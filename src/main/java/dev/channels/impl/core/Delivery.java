package dev.channels.impl.core;

/**
 * An item handed out by a {@link ChannelState}. To an acknowledging taker it stays <em>in
 * flight</em> until its holder settles it: {@link ChannelState#acknowledge acknowledges} it, gives
 * it back ({@link ChannelState#nack nack}, {@link ChannelState#release release}, {@link
 * ChannelState#expire expire}) or {@link ChannelState#reject rejects} it. A given-back item is
 * handed out again as a new delivery of the same item, which the holder of this one cannot settle.
 *
 * @param <E> the item type
 */
public final class Delivery<E> {

  /** Where a delivery stands. Only {@link #IN_FLIGHT} can be settled by its holder. */
  enum Stage {
    /** Handed out, awaiting its holder's answer. */
    IN_FLIGHT,
    /** Nacked with a delay: held back until {@link ChannelState#redeliver}, still counted in flight. */
    DELAYED,
    /** On its way to the dead-letter channel, still counted in flight until {@link ChannelState#deadLettered}. */
    DEAD_LETTERING,
    /** Acknowledged, given back, dead-lettered, or forgotten by a discard. */
    SETTLED
  }

  final ChannelState<E> channel;
  private final E item;
  /** The order of its first delivery: returned items are re-buffered in this order. */
  private final long order;
  int deliveries;
  Stage stage = Stage.SETTLED;
  /** Why it is being dead-lettered, while {@link Stage#DEAD_LETTERING}. */
  DeadLetter reason;
  /** What the consumer said when it rejected it; {@code null} if nothing. */
  String error;

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

  /** Whether it waits for its holder's answer. */
  public boolean isInFlight() {
    return stage == Stage.IN_FLIGHT;
  }

  /** Why it is dead-lettered; {@code null} unless it is on its way to the dead-letter channel. */
  public DeadLetter deadLetterReason() {
    return reason;
  }

  /** What the consumer said when it rejected the item, or {@code null}. */
  public String error() {
    return error;
  }

  public long order() {
    return order;
  }
}
