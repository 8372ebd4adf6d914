package dev.channels.impl.core;

import dev.channels.Channel;

/**
 * What a failure of one channel says, as a user reads it: the channel named, and the cause. Written
 * here once, for the in-process channel's exceptions and the host's failure messages alike.
 */
public final class Details {

  private final String where;

  /** @param name the channel's name */
  public Details(String name) {
    this.where = "channel '" + name + "'";
  }

  /** {@code channel 'jobs'}. */
  public String where() {
    return where;
  }

  public String closed() {
    return where + " is closed";
  }

  public String closedAndDrained() {
    return where + " is closed and drained";
  }

  public String full(int capacity) {
    return where + " is full (capacity " + (capacity == Channel.UNBOUNDED ? "unbounded" : capacity) + ")";
  }

  public String empty() {
    return where + " is empty";
  }

  public String emptyWithItemsInFlight(int inFlight) {
    return where + " is closed, empty, and has " + inFlight + " items in flight";
  }

  public String timedOut(String operation, long timeoutMs) {
    return where + ": " + operation + " not possible within " + timeoutMs + " ms";
  }

  public String nullItem() {
    return where + ": null items are not allowed";
  }

  public String invalidTimeout(Object timeout) {
    return where + ": timeout must be zero or positive, not " + timeout;
  }

  public String invalidMax(int max) {
    return where + ": max must be at least 1, not " + max;
  }
}
