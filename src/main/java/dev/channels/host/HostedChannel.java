package dev.channels.host;

import dev.channels.ChannelClosedException;
import dev.channels.core.ChannelState;
import dev.channels.core.Delivery;
import dev.channels.protocol.ChannelRequest;
import dev.channels.protocol.Failure;
import dev.channels.protocol.Protocol;
import dev.channels.protocol.RequestException;
import dev.channels.protocol.StatusJson;
import io.vertx.core.AsyncResult;
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
  private final Consumers consumers;
  private MessageConsumer<Object> consumer;
  private Future<Void> registered;
  private boolean deleted;
  /**
   * What the turn being handled told other waiters (and the joined event), sent once the
   * request itself has been answered, in the order told. Between turns (a deadline, a delete,
   * the host stopping) answers go out at once.
   */
  private final List<Runnable> toldAfterTheAnswer = new ArrayList<>();
  private boolean handling;
  /** The buffered items the host's count holds for this channel; brought up to date each turn. */
  private int accountedSize;

  HostedChannel(ChannelHost host, String name, int capacity) {
    this.host = host;
    this.state = new ChannelState<>(name, capacity, () -> tell(this::finished));
    this.address = Protocol.channelAddress(host.config().address(), name);
    this.where = "channel '" + name + "'";
    this.consumers = new Consumers(this);
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
      consumer = host.vertx().eventBus().consumer(address, message -> inTurn(() -> handle(message)));
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

  ChannelHost host() {
    return host;
  }

  String where() {
    return where;
  }

  /**
   * Deletes the channel: waiting puts, takes and joins fail {@code CLOSED}, buffered items are
   * dropped, in-flight ones forgotten, consumers told, no joined event is published. Returns how
   * many items were dropped.
   */
  int discard(String why) {
    deleted = true;
    int discarded = state.discard(new ChannelClosedException(where + " " + why));
    host.bufferedItemsChanged(-accountedSize);
    accountedSize = 0;
    consumers.deleted();
    return discarded;
  }

  Future<Void> unregister() {
    return registered.transform(done -> consumer == null ? Future.succeededFuture() : consumer.unregister());
  }

  /**
   * Runs one turn of the channel: {@code work} (a request, an acknowledgement), then the answers
   * it told other waiters (and what those told in turn, after them), then the host's count of
   * buffered items. Called within a turn, {@code work} is part of that turn: a send whose outcome
   * is known at once (the recipient's address is already gone) settles before the send returns.
   */
  void inTurn(Runnable work) {
    if (handling) {
      work.run();
      return;
    }
    handling = true;
    try {
      work.run();
    } finally {
      try {
        // sends, and the batches of served takes and consumers; the list grows as they tell more
        for (int i = 0; i < toldAfterTheAnswer.size(); i++) {
          toldAfterTheAnswer.get(i).run();
        }
      } finally {
        handling = false;
        toldAfterTheAnswer.clear();
        if (!deleted) {
          host.bufferedItemsChanged(state.size() - accountedSize);
          accountedSize = state.size();
        }
      }
    }
  }

  /**
   * Answers a waiter that a turn served (or publishes the end) after that turn's own answer, in
   * the order served: the last take's item goes out before the joined event.
   */
  void tell(Runnable answer) {
    if (handling) {
      toldAfterTheAnswer.add(answer);
    } else {
      answer.run();
    }
  }

  /** Refuses with OVERLOADED when one more buffered item would exceed the host's limit. */
  void checkRoomForAnItem() {
    host.checkRoomForAnItem(where, state.size() - accountedSize);
  }

  private void handle(Message<Object> message) {
    if (deleted) { // a request that was already on its way when the address was unregistered
      Failure.CLOSED.fail(message, where + " was deleted");
      return;
    }
    try {
      apply(ChannelRequest.decode(where, message), message);
    } catch (RequestException refused) {
      refused.failure().fail(message, refused.detail());
    }
  }

  private void apply(ChannelRequest request, Message<Object> message) {
    switch (request.action()) {
      case PUT -> put(request, message, true);
      case OFFER -> put(request, message, false);
      case PUT_ALL -> new PutAll(this, request, message).start(deadline(request));
      case TAKE -> take(request, message, true);
      case POLL -> take(request, message, false);
      case CLOSE -> {
        state.close();
        replyStatus(message);
      }
      case JOIN -> join(request, message);
      case STATUS -> replyStatus(message);
      case CONSUME -> consumers.consume(request, message);
      case CREDIT -> consumers.credit(request, message);
      case CANCEL -> consumers.cancel(request, message);
      default -> throw new IllegalStateException("not a channel action: " + request.action());
    }
  }

  private void put(ChannelRequest request, Message<Object> message, boolean mayWait) {
    if (state.isClosed()) {
      throw refusal(Failure.CLOSED, where + " is closed");
    }
    if (state.waitingTakers() == 0) { // the item would be buffered, or wait to be
      checkRoomForAnItem();
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
        RequestWaiter<Void> putter = new RequestWaiter<>(host.vertx(), this::tell, message, false,
            (m, none, delivery) -> m.reply(null));
        state.enqueuePut(item, putter);
        putter.expireAfter(timeoutMs, state, "put");
      }
    }
  }

  private void take(ChannelRequest request, Message<Object> message, boolean mayWait) {
    boolean ack = request.acknowledge();
    int max = request.max();
    HostedItem item = state.peek();
    if (item != null) {
      Handout handout = new Handout(max > 0, ack);
      handout.add(item, state.pollDelivery(ack));
      handout.addAvailable(state, max, ack);
      deliver(message, handout);
      return;
    }
    if (state.isFinished()) {
      throw refusal(Failure.CLOSED, where + " is closed and drained");
    }
    if (!mayWait) {
      throw refusal(Failure.EMPTY, where + (state.isClosed() ? " is closed, empty, and has "
          + state.inFlight() + " items in flight" : " is empty"));
    }
    long timeoutMs = deadline(request);
    if (timeoutMs == 0) {
      throw refusal(Failure.TIMEOUT, where + " is empty and the take may not wait (timeout 0)");
    }
    checkRoomForAWaiter();
    RequestWaiter<HostedItem> taker = new RequestWaiter<>(host.vertx(), this::tell, message, ack,
        (m, served, delivery) -> {
          Handout handout = new Handout(max > 0, ack);
          handout.add(served, delivery);
          handout.addAvailable(state, max, ack);
          deliver(m, handout);
        });
    state.enqueueTake(taker);
    taker.expireAfter(timeoutMs, state, "take");
  }

  /**
   * Answers a take with what it was handed. Acknowledged: with {@code replyAndRequest}, whose
   * answer settles the items (a reply acknowledges, and may carry the taker's next request; a
   * failure, a lost taker or the ack deadline gives them back).
   */
  private void deliver(Message<Object> take, Handout handout) {
    DeliveryOptions options = handout.options();
    if (handout.inFlight().isEmpty()) {
      take.reply(handout.body(), options == null ? new DeliveryOptions() : options);
      return;
    }
    options = (options == null ? new DeliveryOptions() : options).setSendTimeout(host.config().ackTimeoutMs());
    take.replyAndRequest(handout.body(), options)
        .onComplete(answer -> inTurn(() -> settle(handout.inFlight(), answer)));
  }

  private void settle(List<Delivery<HostedItem>> deliveries, AsyncResult<Message<Object>> answer) {
    if (answer.failed()) {
      deliveries.forEach(state::giveBack);
      return;
    }
    deliveries.forEach(state::acknowledge);
    Message<Object> reply = answer.result();
    if (reply.headers().contains(Protocol.ACTION)) { // the taker's next request rides on its ack
      handle(reply);
    }
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
    RequestWaiter<Void> joiner = new RequestWaiter<>(host.vertx(), this::tell, message, false,
        (m, none, delivery) -> replyStatus(m));
    state.awaitFinished(joiner);
    joiner.expireAfter(timeoutMs, state, "join");
  }

  void checkRoomForAWaiter() {
    int limit = host.config().maxWaiters();
    // a consumer counts once: waiting in the channel as a taker, or idle
    if (state.waitingPutters() + state.waitingTakers() + consumers.idle() >= limit) {
      throw refusal(Failure.OVERLOADED, where + " has " + limit
          + " waiting puts and takes and consumers (limits.maxWaiters)");
    }
  }

  long deadline(ChannelRequest request) {
    return request.timeoutMs() >= 0 ? request.timeoutMs() : host.config().defaultTimeoutMs();
  }

  void replyStatus(Message<Object> message) {
    message.reply(StatusJson.encode(state.status()));
  }

  private void finished() {
    consumers.ended();
    host.vertx().eventBus().publish(Protocol.joinedAddress(host.config().address(), state.name()),
        StatusJson.encode(state.status()));
  }

  static RequestException refusal(Failure failure, String detail) {
    return new RequestException(failure, detail);
  }
}
