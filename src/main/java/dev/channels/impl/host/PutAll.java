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
  private final Message<Object> request;
  private final ChannelRequest put;

  /** @param timeoutMs how long it may wait, counted from when it first has to */
  PutAll(HostedChannel channel, ChannelRequest request, Message<Object> message, long timeoutMs) {
    super(channel.operations(), items((List<?>) request.item(), request.itemHeaders()), timeoutMs);
    this.channel = channel;
    this.request = message;
    this.put = request;
  }

  /**
   * Puts the items, unless its key is remembered: then it is answered as the put-all that first
   * carried it was, and enqueues nothing. A repeat of a put-all still waiting for room is refused.
   */
  void startOnce() {
    int enqueued = channel.idempotence().repeated(put);
    if (enqueued >= 0) {
      channel.answer(() -> request.reply(Replies.putAll(enqueued)));
    } else if (channel.idempotence().isWaiting(put)) {
      channel.answer(() -> Failure.CONFLICT.fail(request, ChannelRequests.stillWaiting(channel, put)));
    } else {
      start();
    }
  }

  private static List<HostedItem> items(List<?> bodies, MultiMap headers) {
    List<HostedItem> items = new ArrayList<>(bodies.size());
    for (Object body : bodies) {
      items.add(new HostedItem(body, headers));
    }
    return items;
  }

  @Override
  protected void completed(int enqueued) {
    channel.idempotence().done(put, enqueued, true);
    channel.answer(() -> request.reply(Replies.putAll(enqueued)));
  }

  @Override
  protected void stopped(int enqueued, Outcome why, String detail) {
    channel.idempotence().done(put, enqueued, false);
    if (enqueued == 0) {
      channel.answer(() -> Failure.of(why).fail(request, detail));
    } else {
      channel.answer(() -> request.reply(Replies.putAll(enqueued, Protocol.stopped(why))));
    }
  }

  @Override
  protected void waits() {
    channel.idempotence().waits(put);
  }

  // told after the answer of the request that admitted the item, like any served put
  @Override
  protected void later(Runnable next) {
    channel.tell(next);
  }
}
