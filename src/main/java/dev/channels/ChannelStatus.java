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
 * @param inFlight items handed to acknowledging takers and not yet acknowledged (not in {@code size})
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
    int inFlight) {

  public boolean unbounded() {
    return capacity == Channel.UNBOUNDED;
  }
}
