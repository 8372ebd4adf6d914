package dev.channels.impl.client;

import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.RequestHeaders;

/**
 * How long one operation may wait at the host, and so the server deadline (the {@code timeout}
 * header) of each request it sends. An operation without a timeout of its own sends {@code
 * waitTimeoutMs} and is re-sent each time the host answers 408, for ever; one with a timeout sends
 * it (at most the protocol's largest, re-sending for the rest) and fails at its end. Not shared:
 * one per operation.
 */
final class Wait {

  /** No server deadline: an operation that never waits (offer, poll, close, status, the registry's). */
  static final long NO_DEADLINE = RequestHeaders.NO_TIMEOUT;
  /** The first and the longest wait before a request to an unavailable channel is sent again. */
  static final long FIRST_RETRY_MS = 50;
  static final long LONGEST_RETRY_MS = 1_000;
  /**
   * How many times a registry lookup that got no answer is sent again: in a cluster, right after a
   * node died and before Vert.x removed its registrations, the event bus may route it there.
   */
  static final int UNANSWERED_RETRIES = 2;

  private final boolean indefinite;
  private final long perRequestMs;
  private long remainingMs;
  /** How long the channel has been unavailable to this operation so far, waits included. */
  private long unavailableMs;
  private int retries;
  /** How many times a request of this operation went unanswered (a registry lookup, sent again). */
  private int unanswered;

  private Wait(boolean indefinite, long perRequestMs, long remainingMs) {
    this.indefinite = indefinite;
    this.perRequestMs = perRequestMs;
    this.remainingMs = remainingMs;
  }

  /** An operation that does not wait: no {@code timeout} header. */
  static Wait never() {
    return new Wait(false, NO_DEADLINE, 0);
  }

  /** Waits as long as it takes, asking the host for {@code perRequestMs} at a time. */
  static Wait indefinitely(long perRequestMs) {
    return new Wait(true, perRequestMs, 0);
  }

  /** Waits at most {@code timeoutMs} in all; {@code 0} = do not wait at all. */
  static Wait atMost(long timeoutMs) {
    return new Wait(false, 0, timeoutMs);
  }

  /**
   * The same wait, for a request sent again {@code elapsedMs} after the last began: an operation
   * with a timeout of its own has that much less left (at least 0: then it no longer waits).
   */
  Wait after(long elapsedMs) {
    if (indefinite || perRequestMs == NO_DEADLINE) {
      return this;
    }
    remainingMs = Math.max(0, remainingMs - elapsedMs);
    return this;
  }

  /** The {@code timeout} header of the next request, or {@link #NO_DEADLINE} for none. */
  long serverDeadlineMs() {
    if (indefinite || perRequestMs == NO_DEADLINE) {
      return perRequestMs;
    }
    return Math.min(remainingMs, Protocol.MAX_TIMEOUT_MS);
  }

  /** After the host answered 408 to a request sent with {@code deadlineMs}: whether to send it again. */
  boolean resendAfterDeadline(long deadlineMs) {
    if (indefinite) {
      return true;
    }
    remainingMs -= deadlineMs;
    return deadlineMs > 0 && remainingMs > 0;
  }

  /**
   * After the host said, {@code elapsedMs} after the request was sent, that the channel is not served
   * for now: how long to wait before sending it again, or {@code -1} to give up. Waits back off from
   * {@value #FIRST_RETRY_MS} ms to {@value #LONGEST_RETRY_MS} ms, and retrying stops once the channel
   * has been unavailable to this operation for {@code unavailableTimeoutMs}, or its own timeout has
   * passed. An operation that never waits never retries.
   */
  long retryWhenUnavailable(long elapsedMs, long unavailableTimeoutMs) {
    if (!indefinite && perRequestMs == NO_DEADLINE) {
      return -1;
    }
    spend(elapsedMs);
    long budget = unavailableTimeoutMs - unavailableMs;
    if (!indefinite) {
      budget = Math.min(budget, remainingMs);
    }
    if (budget <= 0) {
      return -1;
    }
    long delay = Math.min(budget, Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS << Math.min(retries++, 10)));
    spend(delay);
    return delay;
  }

  /**
   * A request that may be repeated got no answer within its send timeout: whether to send it again
   * (at most {@link #UNANSWERED_RETRIES} times per operation).
   */
  boolean retryUnanswered() {
    return ++unanswered <= UNANSWERED_RETRIES;
  }

  /** Whether an operation with a timeout of its own has used it all up. */
  boolean timedOut() {
    return !indefinite && perRequestMs != NO_DEADLINE && remainingMs <= 0;
  }

  private void spend(long ms) {
    unavailableMs += ms;
    if (!indefinite) {
      remainingMs -= ms;
    }
  }
}
