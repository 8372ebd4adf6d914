package dev.channels.host;

import dev.channels.ChannelClosedException;
import dev.channels.core.ChannelState;
import dev.channels.protocol.ChannelRequest;
import dev.channels.protocol.Failure;
import dev.channels.protocol.Protocol;
import dev.channels.protocol.RequestException;
import dev.channels.protocol.StatusJson;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel served at {@code <address>.<name>}: decodes each request once, applies it to the
 * channel's state machine, and encodes the outcome once. All its requests arrive on the host's
 * context, one at a time, so each is applied atomically in arrival order.
 */
final class HostedChannel {

  private final ChannelHost host;
  private final ChannelState<HostedItem> state;
  private final String address;
  private final String where;
  private MessageConsumer<Object> consumer;
  private Future<Void> registered;
  private boolean deleted;
  /**
   * What the request being handled told other waiters (and the joined event), sent once the
   * request itself has been answered. Between requests (a deadline, a delete, the host stopping)
   * answers go out at once.
   */
  private final List<Runnable> toldAfterTheAnswer = new ArrayList<>();
  private boolean handling;

  HostedChannel(ChannelHost host, String name, int capacity) {
    this.host = host;
    this.state = new ChannelState<>(name, capacity, () -> tell(this::publishJoined));
    this.address = Protocol.channelAddress(host.config().address(), name);
    this.where = "channel '" + name + "'";
  }

  /**
   * Registers the channel's address once {@code previousAddress} (the unregistration of a deleted
   * channel of the same name, if any) is done; completes once the consumer is registered.
   */
  Future<Void> register(Future<Void> previousAddress) {
    registered = previousAddress.transform(previousGone -> {
      if (deleted) { // deleted before its address was ever registered
        return Future.succeededFuture();
      }
      consumer = host.vertx().eventBus().consumer(address, this::handle);
      return consumer.completion();
    });
    return registered;
  }

  Future<Void> registered() {
    return registered;
  }

  int capacity() {
    return state.capacity();
  }

  ChannelState<HostedItem> state() {
    return state;
  }

  /**
   * Deletes the channel: waiting puts, takes and joins fail {@code CLOSED}, buffered items are
   * dropped, no joined event is published. Returns how many items were dropped.
   */
  int discard(String why) {
    deleted = true;
    int discarded = state.discard(new ChannelClosedException(where + " " + why));
    host.bufferedItemsChanged(-discarded);
    return discarded;
  }

  Future<Void> unregister() {
    return registered.transform(done -> consumer == null ? Future.succeededFuture() : consumer.unregister());
  }

  private void handle(Message<Object> message) {
    if (deleted) { // a request that was already on its way when the address was unregistered
      Failure.CLOSED.fail(message, where + " was deleted");
      return;
    }
    int sizeBefore = state.size();
    handling = true;
    try {
      apply(ChannelRequest.decode(state.name(), message), message);
    } catch (RequestException refused) {
      refused.failure().fail(message, refused.detail());
    } finally {
      handling = false;
      host.bufferedItemsChanged(state.size() - sizeBefore);
    }
    try {
      toldAfterTheAnswer.forEach(Runnable::run); // sends only: nothing here re-enters handle
    } finally {
      toldAfterTheAnswer.clear();
    }
  }

  /**
   * Answers a waiter that a request served (or publishes the end) after that request's own answer,
   * in the order served: the last take's item goes out before the joined event.
   */
  private void tell(Runnable answer) {
    if (handling) {
      toldAfterTheAnswer.add(answer);
    } else {
      answer.run();
    }
  }

  private void apply(ChannelRequest request, Message<Object> message) {
    switch (request.action()) {
      case PUT -> put(request, message, true);
      case OFFER -> put(request, message, false);
      case TAKE -> take(request, message, true);
      case POLL -> take(request, message, false);
      case CLOSE -> {
        state.close();
        replyStatus(message);
      }
      case JOIN -> join(request, message);
      case STATUS -> replyStatus(message);
      default -> throw new IllegalStateException("not a channel action: " + request.action());
    }
  }

  private void put(ChannelRequest request, Message<Object> message, boolean mayWait) {
    if (state.isClosed()) {
      throw refusal(Failure.CLOSED, where + " is closed");
    }
    if (state.waitingTakers() == 0) { // the item would be buffered, or wait to be
      host.checkRoomForAnItem(where);
    }
    HostedItem item = new HostedItem(request.item(), request.itemHeaders());
    switch (state.offer(item)) {
      case ACCEPTED -> message.reply(null);
      case CLOSED -> throw refusal(Failure.CLOSED, where + " is closed");
      case FULL -> {
        if (!mayWait) {
          throw refusal(Failure.FULL, where + " is full (capacity " + state.capacity() + ")");
        }
        long timeoutMs = deadline(request);
        if (timeoutMs == 0) {
          throw refusal(Failure.TIMEOUT, where + " is full and the put may not wait (timeout 0)");
        }
        checkRoomForAWaiter();
        RequestWaiter<Void> putter = new RequestWaiter<>(host.vertx(), this::tell, message, (m, none) -> m.reply(null));
        state.enqueuePut(item, putter);
        putter.expireAfter(timeoutMs, state, "put");
      }
    }
  }

  private void take(ChannelRequest request, Message<Object> message, boolean mayWait) {
    HostedItem item = state.poll();
    if (item != null) {
      replyItem(message, item);
      return;
    }
    if (state.isClosed()) {
      throw refusal(Failure.CLOSED, where + " is closed and drained");
    }
    if (!mayWait) {
      throw refusal(Failure.EMPTY, where + " is empty");
    }
    long timeoutMs = deadline(request);
    if (timeoutMs == 0) {
      throw refusal(Failure.TIMEOUT, where + " is empty and the take may not wait (timeout 0)");
    }
    checkRoomForAWaiter();
    RequestWaiter<HostedItem> taker = new RequestWaiter<>(host.vertx(), this::tell, message, HostedChannel::replyItem);
    state.enqueueTake(taker);
    taker.expireAfter(timeoutMs, state, "take");
  }

  private void join(ChannelRequest request, Message<Object> message) {
    if (state.isFinished()) {
      replyStatus(message);
      return;
    }
    long timeoutMs = deadline(request);
    if (timeoutMs == 0) {
      throw refusal(Failure.TIMEOUT, where + " has not finished and the join may not wait (timeout 0)");
    }
    RequestWaiter<Void> joiner = new RequestWaiter<>(host.vertx(), this::tell, message, (m, none) -> replyStatus(m));
    state.awaitFinished(joiner);
    joiner.expireAfter(timeoutMs, state, "join");
  }

  private void checkRoomForAWaiter() {
    int limit = host.config().maxWaiters();
    if (state.waitingPutters() + state.waitingTakers() >= limit) {
      throw refusal(Failure.OVERLOADED, where + " has " + limit + " waiting puts and takes (limits.maxWaiters)");
    }
  }

  private long deadline(ChannelRequest request) {
    return request.timeoutMs() >= 0 ? request.timeoutMs() : host.config().defaultTimeoutMs();
  }

  private void replyStatus(Message<Object> message) {
    message.reply(StatusJson.encode(state.status()));
  }

  private static void replyItem(Message<Object> message, HostedItem item) {
    if (item.headers() == null) {
      message.reply(item.body());
    } else {
      message.reply(item.body(), new DeliveryOptions().setHeaders(item.headers()));
    }
  }

  private void publishJoined() {
    host.vertx().eventBus().publish(Protocol.joinedAddress(host.config().address(), state.name()),
        StatusJson.encode(state.status()));
  }

  private static RequestException refusal(Failure failure, String detail) {
    return new RequestException(failure, detail);
  }
}
