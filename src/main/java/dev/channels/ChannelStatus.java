package dev.channels;

/**
 * A snapshot of one channel's state.
 *
 * @param name the channel's name
 * @param capacity its bound; {@link Channel#UNBOUNDED} when unbounded, {@code 0} for a rendezvous channel
 * @param size buffered items (always 0 for a rendezvous channel: waiting putters still hold theirs)
 * @param closed whether close was called
 * @param finished closed and drained; never un-set
 * @param waitingPutters puts waiting for room (or, at capacity 0, for a taker)
 * @param waitingTakers takes waiting for an item
 * @param totalPut items that entered the channel, hand-offs included; failed or timed-out puts excluded
 * @param totalTaken items taken: by a plain take or poll at once, by an acknowledged one when it is
 *     acknowledged
 * @param inFlight items handed to acknowledging takers and not yet settled (not in {@code size}):
 *     awaiting their acknowledgement, held back by a nack with a delay, or on their way to the
 *     dead-letter channel
 * @param redelivered hand-outs of items that had been handed out before (a nacked, expired or
 *     returned item delivered again); an item released unhandled does not count
 * @param deadLettered items that went to the dead-letter channel (rejected, or past {@code
 *     maxDeliveries})
 */
public record ChannelStatus(
    String name,
    int capacity,
    int size,
    boolean closed,
    boolean finished,
    int waitingPutters,
    int waitingTakers,
    long totalPut,
    long totalTaken,
    int inFlight,
    long redelivered,
    long deadLettered) {

  /** A status without redeliveries or dead letters (an in-process channel's, say). */
  public ChannelStatus(String name, int capacity, int size, boolean closed, boolean finished, int waitingPutters,
      int waitingTakers, long totalPut, long totalTaken, int inFlight) {
    this(name, capacity, size, closed, finished, waitingPutters, waitingTakers, totalPut, totalTaken, inFlight, 0, 0);
  }

  public boolean unbounded() {
    return capacity == Channel.UNBOUNDED;
  }
}
