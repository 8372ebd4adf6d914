package dev.channels.impl.core;

/**
 * What a channel operation came to: a value, turned into a failure code by the host and into an
 * exception by the in-process channel (both through {@code impl.protocol.Failure}, one exhaustive
 * mapping).
 */
public enum Outcome {
  /** Done at once: a put accepted, a join of a finished channel. */
  DONE,
  /** Not possible now: its waiter waits, and will be told. */
  WAITS,
  /** The channel is closed (for a take: closed and drained; or deleted). */
  CLOSED,
  /** No room, and the operation may not wait (an offer). */
  FULL,
  /** No item, and the operation may not wait (a poll). */
  EMPTY,
  /** Not possible before its deadline. */
  TIMEOUT,
  /** A limit of the host would be exceeded. */
  OVERLOADED,
  /** The channel is not served for now (its host is stopping). */
  UNAVAILABLE;

  /** Whether the operation failed (as opposed to done, or waiting). */
  public boolean failed() {
    return this != DONE && this != WAITS;
  }
}
