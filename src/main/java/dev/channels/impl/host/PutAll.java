package dev.channels.impl.host;

import dev.channels.impl.core.BatchPut;
import dev.channels.impl.core.Outcome;
import dev.channels.impl.protocol.ChannelRequest;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.Replies;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code put-all}: a {@link BatchPut} of the request's items. Answers {@code {"enqueued": N}}
 * (with {@code "stopped"} when it stopped early), or fails like a put when it could enqueue none.
 */
final class PutAll extends BatchPut<HostedItem> {

  private final HostedChannel channel;
  /** The request it answers: a repeat of it, if one came while it waited (see {@link Idempotence#redirected}). */
  private Message<Object> request;
  private final ChannelRequest put;
  /** How many of its items the channel's former owner enqueued before it died: they are not put again. */
  private final int enqueuedBefore;

  /** @param timeoutMs how long it may wait, counted from when it first has to */
  private PutAll(HostedChannel channel, ChannelRequest request, Message<Object> message, long timeoutMs,
      int enqueuedBefore) {
    super(channel.operations(), items((List<?>) request.item(), enqueuedBefore, request.itemHeaders()), timeoutMs);
    this.channel = channel;
    this.request = message;
    this.put = request;
    this.enqueuedBefore = enqueuedBefore;
  }

  /**
   * Puts the items, unless its key is remembered: then it is answered as the put-all that first
   * carried it was, and enqueues nothing. A repeat of a put-all still waiting for room is refused.
   */
  static void start(HostedChannel channel, ChannelRequest put, Message<Object> request, long timeoutMs) {
    Idempotence idempotence = channel.idempotence();
    if (idempotence.redirected(put, request)) {
      return; // sent again after a failover, while the first waits here: that one answers this
    }
    int enqueued = idempotence.repeated(put);
    if (enqueued >= 0) {
      channel.answer(() -> request.reply(Replies.putAll(enqueued)));
    } else if (idempotence.isWaiting(put)) {
      channel.answer(() -> Failure.CONFLICT.fail(request, ChannelRequests.stillWaiting(channel, put)));
    } else {
      new PutAll(channel, put, request, timeoutMs, idempotence.enqueuedBefore(put)).start();
    }
  }

  private static List<HostedItem> items(List<?> bodies, int from, MultiMap headers) {
    List<HostedItem> items = new ArrayList<>(bodies.size() - from);
    for (int i = from; i < bodies.size(); i++) {
      items.add(new HostedItem(bodies.get(i), headers));
    }
    return items;
  }

  @Override
  protected void completed(int enqueued) {
    int total = enqueuedBefore + enqueued;
    channel.idempotence().done(put, total, true);
    Message<Object> answered = request;
    channel.answer(() -> answered.reply(Replies.putAll(total)));
  }

  @Override
  protected void stopped(int enqueued, Outcome why, String detail) {
    int total = enqueuedBefore + enqueued;
    channel.idempotence().done(put, total, false);
    Message<Object> answered = request;
    if (total == 0) {
      channel.answer(() -> Failure.of(why).fail(answered, detail));
    } else {
      channel.answer(() -> answered.reply(Replies.putAll(total, Protocol.stopped(why))));
    }
  }

  @Override
  protected void waits(int enqueued) {
    channel.idempotence().waits(put, enqueuedBefore + enqueued, repeat -> request = repeat);
  }

  // told after the answer of the request that admitted the item, like any served put
  @Override
  protected void later(Runnable next) {
    channel.tell(next);
  }
}
