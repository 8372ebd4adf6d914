package dev.channels;

import io.vertx.core.Future;

/**
 * A producer attached to a channel ({@link Channel#attach()}): while it is attached, a channel
 * made to close when detached ({@link ChannelOptions#setCloseWhenDetached}) stays open; when the
 * last of its producers detaches, it closes, exactly as by {@link Channel#close()}.
 *
 * <pre>{@code
 * jobs.attach().compose(producer -> jobs.put("a")
 *     .compose(v -> jobs.put("b"))
 *     .eventually(producer::close));   // the last producer to close closes the channel
 * }</pre>
 *
 * <p>A remote producer holds a lease at the channel's host, which its client renews every third of
 * the lease time (the host's {@code leaseMs}, default 10 s) on the context that attached it, until
 * it is closed. If the renewals stop reaching the host (the client's Vert.x closed, the attaching
 * verticle was undeployed, the network failed) or its cluster node leaves the cluster, the host
 * detaches it when the lease ends, as if it had closed. An in-process producer has no lease.
 *
 * <p>Attaching and detaching change no item: puts are made on the channel, as by anybody.
 */
public interface ChannelProducer {

  /**
   * Detaches this producer; idempotent: a second close, or a close after its lease was lost,
   * completes at once and changes nothing.
   *
   * <ul>
   *   <li>Completes once the producer is detached (remote: once the host has answered). If it was
   *       the last producer of a channel made to close when detached, the channel is closed by
   *       then: waiting putters fail {@link ChannelClosedException}, buffered items stay takeable.
   *   <li>On a closed channel: detaches all the same (the producer was attached before the close).
   *   <li>Remote, if the host cannot be reached: fails as a request does ({@link
   *       ChannelTimeoutException}, {@link ChannelUnavailableException}); renewals have stopped, so
   *       the host detaches the producer when its lease ends.
   * </ul>
   */
  Future<Void> close();

  /**
   * Completes once this producer is detached: succeeds when {@link #close()} detached it; fails
   * {@link ChannelLeaseLostException} when a remote producer's lease ended without a close (it
   * expired before a renewal reached the host, its node left the cluster, or the channel was
   * deleted). The producer is detached either way: attach again to hold the channel open again.
   */
  Future<Void> detached();
}
