package dev.channels.impl.core;

import java.util.ArrayList;
import java.util.List;

/** A FIFO of waiters with O(1) removal of any member (timeouts withdraw from the middle). */
final class WaitQueue<W extends Waiter<?>> {

  private Waiter<?> head;
  private Waiter<?> tail;
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void add(W waiter) {
    if (waiter.queue != null) {
      throw new IllegalStateException("a waiter can wait only once");
    }
    waiter.queue = this;
    waiter.previous = tail;
    waiter.next = null;
    if (tail == null) {
      head = waiter;
    } else {
      tail.next = waiter;
    }
    tail = waiter;
    size++;
  }

  /** The oldest waiter, or {@code null}. */
  @SuppressWarnings("unchecked")
  W peek() {
    return (W) head;
  }

  /** Removes and returns the oldest waiter, or {@code null}. */
  @SuppressWarnings("unchecked")
  W poll() {
    Waiter<?> first = head;
    if (first != null) {
      unlink(first);
    }
    return (W) first;
  }

  /** Removes the waiter if it is in this queue; returns whether it was. */
  boolean remove(Waiter<?> waiter) {
    if (waiter.queue != this) {
      return false;
    }
    unlink(waiter);
    return true;
  }

  /** Empties the queue, returning its waiters oldest first. */
  List<W> drain() {
    List<W> all = new ArrayList<>(size);
    for (W waiter = poll(); waiter != null; waiter = poll()) {
      all.add(waiter);
    }
    return all;
  }

  private void unlink(Waiter<?> waiter) {
    Waiter<?> before = waiter.previous;
    Waiter<?> after = waiter.next;
    if (before == null) {
      head = after;
    } else {
      before.next = after;
    }
    if (after == null) {
      tail = before;
    } else {
      after.previous = before;
    }
    waiter.previous = null;
    waiter.next = null;
    waiter.queue = null;
    size--;
  }
}
