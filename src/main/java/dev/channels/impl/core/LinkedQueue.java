package dev.channels.impl.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A FIFO whose members link themselves ({@link Node}), so that any member leaves in O(1): a waiter
 * withdrawn at its deadline, a delivery whose answer came. A node is in at most one queue at a time.
 *
 * @param <N> the members' type
 */
public final class LinkedQueue<N extends LinkedQueue.Node> {

  /** A member of one {@link LinkedQueue} at a time. */
  public abstract static class Node {

    private Node previous;
    private Node next;
    /** The queue it is in; {@code null} when it is in none. */
    private LinkedQueue<?> queue;

    /** Whether it is in a queue. */
    public final boolean isQueued() {
      return queue != null;
    }

    /** Whether it is in {@code queue}. */
    public final boolean isIn(LinkedQueue<?> queue) {
      return this.queue == queue;
    }
  }

  private Node head;
  private Node tail;
  private int size;

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Adds {@code node} last; it must be in no queue. */
  public void add(N member) {
    Node node = member; // its links are Node's: private to this class, not to a type variable
    if (node.queue != null) {
      throw new IllegalStateException("a node is in one queue at a time");
    }
    node.queue = this;
    node.previous = tail;
    node.next = null;
    if (tail == null) {
      head = node;
    } else {
      tail.next = node;
    }
    tail = node;
    size++;
  }

  /** The oldest member, or {@code null}. */
  @SuppressWarnings("unchecked")
  public N peek() {
    return (N) head;
  }

  /** Removes and returns the oldest member, or {@code null}. */
  @SuppressWarnings("unchecked")
  public N poll() {
    Node first = head;
    if (first != null) {
      unlink(first);
    }
    return (N) first;
  }

  /** Removes {@code node} if it is in this queue; returns whether it was. */
  public boolean remove(Node node) {
    if (node.queue != this) {
      return false;
    }
    unlink(node);
    return true;
  }

  /** Removes every member {@code gone} accepts, returning them oldest first. */
  public List<N> removeIf(Predicate<? super N> gone) {
    List<N> removed = new ArrayList<>();
    for (Node node = head; node != null; ) {
      Node next = node.next;
      @SuppressWarnings("unchecked")
      N member = (N) node;
      if (gone.test(member)) {
        unlink(node);
        removed.add(member);
      }
      node = next;
    }
    return removed;
  }

  /** Empties the queue, returning its members oldest first. */
  public List<N> drain() {
    List<N> all = new ArrayList<>(size);
    for (N node = poll(); node != null; node = poll()) {
      all.add(node);
    }
    return all;
  }

  private void unlink(Node node) {
    Node before = node.previous;
    Node after = node.next;
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
    node.previous = null;
    node.next = null;
    node.queue = null;
    size--;
  }
}
