package dev.channels.impl.core;

/** Why an item left its channel for the dead-letter channel instead of being taken. */
public enum DeadLetter {
  /** Delivered {@code maxDeliveries} times without being acknowledged. */
  MAX_DELIVERIES,
  /** A consumer rejected it: it is never to be retried. */
  REJECTED,
  /** A consumer could not read it as the channel's item type. */
  UNMAPPABLE
}
