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
 * @param owner in a cluster, the node id of the host that owns the channel; {@code null} otherwise
 *     (an in-process channel, or a host that does not run clustered)
 * @param epoch in a cluster, the epoch of the owner's claim (its fencing token: a newer claim has a
 *     greater epoch); {@code 0} otherwise
 * @param producers producers attached ({@link Channel#attach()}) and not yet detached
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
    long deadLettered,
    String owner,
    long epoch,
    int producers) {

  /** A status without attached producers. */
  public ChannelStatus(String name, int capacity, int size, boolean closed, boolean finished, int waitingPutters,
      int waitingTakers, long totalPut, long totalTaken, int inFlight, long redelivered, long deadLettered,
      String owner, long epoch) {
    this(name, capacity, size, closed, finished, waitingPutters, waitingTakers, totalPut, totalTaken, inFlight,
        redelivered, deadLettered, owner, epoch, 0);
  }

  /** A status outside a cluster: no owner. */
  public ChannelStatus(String name, int capacity, int size, boolean closed, boolean finished, int waitingPutters,
      int waitingTakers, long totalPut, long totalTaken, int inFlight, long redelivered, long deadLettered) {
    this(name, capacity, size, closed, finished, waitingPutters, waitingTakers, totalPut, totalTaken, inFlight,
        redelivered, deadLettered, null, 0);
  }

  /** A status without redeliveries or dead letters (an in-process channel's, say). */
  public ChannelStatus(String name, int capacity, int size, boolean closed, boolean finished, int waitingPutters,
      int waitingTakers, long totalPut, long totalTaken, int inFlight) {
    this(name, capacity, size, closed, finished, waitingPutters, waitingTakers, totalPut, totalTaken, inFlight, 0, 0);
  }

  public boolean unbounded() {
    return capacity == Channel.UNBOUNDED;
  }
}
