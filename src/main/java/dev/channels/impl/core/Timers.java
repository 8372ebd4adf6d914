package dev.channels.impl.core;

/**
 * The time a channel's owner keeps for it: the state machine knows nothing of time, and its waiters'
 * deadlines are set through this (a Vert.x context's timers, in practice), on the owner's thread.
 */
public interface Timers {

  /** Runs {@code task} on the owner's thread once {@code delayMs} (at least 1) have passed; returns its id. */
  long schedule(long delayMs, Runnable task);

  /** Cancels a task not yet run; nothing if it has run. */
  void cancel(long id);
}
