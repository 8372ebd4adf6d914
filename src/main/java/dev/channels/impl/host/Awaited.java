package dev.channels.impl.host;

/**
 * A delivery (an acknowledged take's reply, or a push) whose answer the host awaits until its ack
 * deadline: a node of {@link AckDeadlines}. Answered or expired, it is settled once.
 */
abstract class Awaited {

  Awaited previous;
  Awaited next;
  AckDeadlines queue;
  long deadlineNanos;

  /** Whether its answer is still awaited: neither answered nor expired yet. */
  final boolean isAwaited() {
    return queue != null;
  }

  /** Called once, when its ack deadline passes unanswered. */
  abstract void expire();
}
