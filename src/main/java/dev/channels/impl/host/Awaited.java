package dev.channels.impl.host;

import dev.channels.impl.core.LinkedQueue;

/**
 * A delivery (an acknowledged take's reply, or a push) whose answer the host awaits until its ack
 * deadline, in {@link AckDeadlines}. Answered or expired, it is settled once.
 */
abstract class Awaited extends LinkedQueue.Node {

  long deadlineNanos;

  /** Called once, when its ack deadline passes unanswered. */
  abstract void expire();
}
