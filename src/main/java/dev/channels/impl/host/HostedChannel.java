package dev.channels.impl.host;

import dev.channels.impl.core.ChannelObserver;
import dev.channels.impl.core.ChannelOperations;
import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Outcome;
import dev.channels.impl.core.Timers;
import dev.channels.impl.protocol.ChannelRequest;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.RequestException;
import dev.channels.impl.protocol.Settlement;
import dev.channels.impl.protocol.StatusJson;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel served at {@code <address>.<name>}: decodes each request once, applies it to the
 * channel's state machine, and encodes the outcome once. All its requests arrive on the host's
 * context, one at a time, so each is applied atomically in arrival order.
 *
 * <p>A channel outlives the host that serves it when that host stops: it is parked, every item it
 * handed out given back, and the next host at the same address on the same Vert.x adopts it.
 */
final class HostedChannel {

  /** The host serving it; another one once it is adopted (read by answers from a parked host's context). */
  private volatile ChannelHost host;
  private final ChannelSettings settings;
  private final ChannelState<HostedItem> state;
  private final ChannelOperations<HostedItem> operations;
  private final String address;
  private final String where;
  private final InFlight inFlight;
  private Consumers consumers;
  private MessageConsumer<Object> consumer;
  private Future<Void> registered;
  private boolean deleted;
  /** Not served for now (its host is stopping): requests are refused UNAVAILABLE. */
  private boolean suspended;
  /**
   * What the turn being handled told other waiters (and the joined event), sent once the
   * request itself has been answered, in the order told. Between turns (a deadline, a delete,
   * the host stopping) answers go out at once.
   */
  private final List<Runnable> toldAfterTheAnswer = new ArrayList<>();
  private boolean handling;
  /** The buffered items the host's count holds for this channel; brought up to date each turn. */
  private int accountedSize;

  HostedChannel(ChannelHost host, String name, ChannelSettings settings) {
    this.host = host;
    this.settings = settings;
    this.inFlight = new InFlight(this, host.vertx(), host.config().ackTimeoutMs());
    this.state = new ChannelState<>(name, settings.capacity(), settings.maxDeliveries(),
        ChannelObserver.whenFinished(() -> tell(this::finished)), inFlight::deadLetter);
    this.operations = new ChannelOperations<>(state, new HostTimers(this), new HostLimits());
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

  ChannelSettings settings() {
    return settings;
  }

  ChannelState<HostedItem> state() {
    return state;
  }

  ChannelOperations<HostedItem> operations() {
    return operations;
  }

  ChannelHost host() {
    return host;
  }

  Vertx vertx() {
    return host.vertx();
  }

  String where() {
    return where;
  }

  InFlight inFlight() {
    return inFlight;
  }

  /**
   * Deletes the channel: waiting puts, takes and joins fail {@code CLOSED}, buffered items are
   * dropped, in-flight ones forgotten, consumers told, no joined event is published. Returns how
   * many items were dropped.
   */
  int discard(String why) {
    deleted = true;
    int discarded = state.discard(where + " " + why);
    inFlight.forget();
    host.bufferedItemsChanged(-accountedSize);
    accountedSize = 0;
    consumers.deleted();
    return discarded;
  }

  /**
   * Stops serving the channel for now (its host stops): requests are refused UNAVAILABLE, waiting
   * puts, takes and joins fail so, and consumers are told; the answers to deliveries already out
   * are still taken until {@link #park}. Completes once none is awaited any more.
   */
  Future<Void> suspend() {
    suspended = true;
    inTurn(() -> {
      state.failWaiters(Outcome.UNAVAILABLE, unavailable());
      consumers.suspended();
    });
    return inFlight.drained();
  }

  /** After {@link #suspend}: every item still out goes back into the channel, which waits for its next host. */
  void park() {
    inTurn(inFlight::abandonAll);
    host.bufferedItemsChanged(-accountedSize);
    accountedSize = 0;
  }

  /** A new host serves this parked channel: requests are served again once its address is registered. */
  Future<Void> adopt(ChannelHost newHost) {
    host = newHost;
    consumers = new Consumers(this);
    suspended = false;
    inTurn(() -> { }); // brings the new host's count of buffered items up to date
    return register(Future.succeededFuture());
  }

  /** Offers again the dead letters its last host could not send; once its new host has adopted every parked channel. */
  void resumeDeadLetters() {
    inTurn(inFlight::resume);
  }

  /**
   * Unregisters the channel's address. A request that reached the host but is still queued for the
   * channel is refused with {@code failure} rather than discarded unanswered.
   */
  Future<Void> unregister(Failure failure, String detail) {
    return registered.transform(done -> consumer == null ? Future.succeededFuture()
        : Registrations.unregister(consumer, failure, detail));
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


  /**
   * Takes a dead letter from another channel: handed to the oldest waiting taker or buffered, even
   * beyond the capacity or the host's limit. Returns {@code false}, taking nothing, when closed.
   */
  boolean admitDeadLetter(HostedItem item) {
    boolean[] admitted = new boolean[1];
    inTurn(() -> admitted[0] = state.admit(item) == ChannelState.Offer.ACCEPTED);
    return admitted[0];
  }

  private void handle(Message<Object> message) {
    if (deleted) { // a request that was already on its way when the address was unregistered
      Failure.CLOSED.fail(message, where + " was deleted");
      return;
    }
    if (suspended) {
      Failure.UNAVAILABLE.fail(message, unavailable());
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
      case PUT_ALL -> new PutAll(this, request, message, deadline(request)).start();
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
    HostedItem item = new HostedItem(request.item(), request.itemHeaders());
    long timeoutMs = deadline(request);
    Outcome outcome = operations.put(item, mayWait, timeoutMs,
        () -> new RequestWaiter<Void>(this::tell, message, false, (m, none, delivery) -> m.reply(null)));
    switch (outcome) {
      case DONE -> message.reply(null);
      case WAITS -> { }
      default -> fail(message, outcome, request, timeoutMs);
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
    long timeoutMs = deadline(request);
    Outcome outcome = operations.awaitItem(mayWait, timeoutMs,
        () -> new RequestWaiter<HostedItem>(this::tell, message, ack, (m, served, delivery) -> {
          Handout handout = new Handout(max > 0, ack);
          handout.add(served, delivery);
          handout.addAvailable(state, max, ack);
          deliver(m, handout);
        }));
    if (outcome != Outcome.WAITS) {
      fail(message, outcome, request, timeoutMs);
    }
  }

  /** Answers a request with the failure an operation came to. */
  private void fail(Message<Object> message, Outcome outcome, ChannelRequest request, long timeoutMs) {
    Failure.of(outcome).fail(message, operations.detail(outcome, request.action().wireName(), timeoutMs));
  }

  /**
   * Answers a take with what it was handed. Acknowledged: with {@code replyAndRequest}, whose
   * answer settles the items (docs/protocol.md, "Settling a delivery"), and may carry the taker's
   * next request; a failure or a lost taker gives them back, and so does the ack deadline.
   */
  private void deliver(Message<Object> take, Handout handout) {
    DeliveryOptions options = handout.options();
    if (handout.inFlight().isEmpty()) {
      take.reply(handout.body(), options == null ? new DeliveryOptions() : options);
      return;
    }
    options = (options == null ? new DeliveryOptions() : options)
        .setSendTimeout(AckDeadlines.replyTimeoutMs(host.config().ackTimeoutMs()));
    inFlight.await(handout, () -> inFlight.expireAll(handout.inFlight()));
    ChannelHost servedBy = host;
    take.replyAndRequest(handout.body(), options)
        .onComplete(answer -> onServingHost(servedBy, answer, () -> answered(handout, answer)));
  }

  /**
   * Runs the handling of an answer in a turn, if the host that sent the delivery still serves the
   * channel. An answer to a parked or adopted channel's delivery (its item went back at the park)
   * must not touch the channel from the old host's context: a request riding on it is refused
   * UNAVAILABLE, to be sent again.
   */
  void onServingHost(ChannelHost servedBy, AsyncResult<Message<Object>> answer, Runnable handling) {
    if (servedBy == host && !servedBy.isParked()) {
      inTurn(handling);
    } else if (answer.succeeded() && answer.result().headers().contains(Protocol.ACTION)) {
      Failure.UNAVAILABLE.fail(answer.result(), unavailable());
    }
  }

  /**
   * The taker's answer to a delivery, which settles its items. A late one (after the ack deadline:
   * the items went back then) changes nothing, and the request riding on it is refused {@code
   * ACK_EXPIRED}, unhandled, so that its taker knows and sends it again on its own.
   */
  private void answered(Handout handout, AsyncResult<Message<Object>> answer) {
    boolean inTime = inFlight.answered(handout);
    if (answer.failed()) {
      if (inTime && answer.cause() instanceof ReplyException failed
          && failed.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        inFlight.nackAll(handout.inFlight()); // its fail(): a nack
      } else if (inTime) {
        inFlight.expireAll(handout.inFlight()); // its taker is gone
      }
      return;
    }
    Message<Object> reply = answer.result();
    boolean riding = reply.headers().contains(Protocol.ACTION);
    if (!inTime) {
      if (riding && (deleted || suspended)) {
        handle(reply); // refused as any request to it is now
      } else if (riding) {
        Failure.ACK_EXPIRED.fail(reply, where + ": the acknowledgement came after the ack deadline (ackTimeoutMs "
            + host.config().ackTimeoutMs() + "): its items went back; this request was not handled");
      }
      return;
    }
    try {
      // the body of an answer that carries a request is that request's: such an answer acknowledges
      Object settlement = riding ? null : reply.body();
      inFlight.settle(handout.inFlight(), Settlement.ofTakeAnswer(settlement, handout.inFlight().size()));
    } catch (IllegalArgumentException nonsense) {
      inFlight.nackAll(handout.inFlight()); // an answer it cannot mean: nothing is lost
    }
    if (riding) { // the taker's next request rides on its answer
      handle(reply);
    }
  }

  private void join(ChannelRequest request, Message<Object> message) {
    long timeoutMs = deadline(request);
    Outcome outcome = operations.join(timeoutMs,
        () -> new RequestWaiter<Void>(this::tell, message, false, (m, none, delivery) -> replyStatus(m)));
    switch (outcome) {
      case DONE -> replyStatus(message);
      case WAITS -> { }
      default -> fail(message, outcome, request, timeoutMs);
    }
  }

  /** Why one more put, take or consumer may not wait, or {@code null} if it may ({@code limits.maxWaiters}). */
  String noRoomForAWaiter() {
    int limit = host.config().maxWaiters();
    // a consumer counts once: waiting in the channel as a taker, or idle
    if (state.waitingPutters() + state.waitingTakers() + consumers.idle() >= limit) {
      return where + " has " + limit + " waiting puts and takes and consumers (limits.maxWaiters)";
    }
    return null;
  }

  /** The host's limits, as the channel's operations meet them. */
  private final class HostLimits implements ChannelOperations.Limits {

    @Override
    public String noRoomForAnItem() {
      return host.noRoomForAnItem(where, state.size() - accountedSize);
    }

    @Override
    public String noRoomForAWaiter() {
      return HostedChannel.this.noRoomForAWaiter();
    }

    @Override
    public String noRoomForAJoin() {
      int limit = host.config().maxJoins();
      return state.waitingJoiners() >= limit ? where + " has " + limit + " waiting joins (limits.maxJoins)" : null;
    }
  }

  /** Timers on the host's context (whichever host serves the channel). */
  private record HostTimers(HostedChannel channel) implements Timers {

    @Override
    public long schedule(long delayMs, Runnable task) {
      return channel.vertx().setTimer(Math.max(1, delayMs), id -> task.run());
    }

    @Override
    public void cancel(long id) {
      channel.vertx().cancelTimer(id);
    }
  }

  long deadline(ChannelRequest request) {
    return request.timeoutMs() >= 0 ? request.timeoutMs() : host.config().defaultTimeoutMs();
  }

  void replyStatus(Message<Object> message) {
    message.reply(status());
  }

  /** The status as the protocol has it: the state's, and the channel's settings. */
  JsonObject status() {
    return StatusJson.encode(state.status(), settings.maxDeliveries(), settings.deadLetter());
  }

  /** What a request to the channel is told while its host is stopping. */
  String unavailable() {
    return where + " is not served for now (its host is stopping); try again";
  }

  private void finished() {
    consumers.ended();
    host.vertx().eventBus().publish(Protocol.joinedAddress(host.config().address(), state.name()), status());
  }

  static RequestException refusal(Failure failure, String detail) {
    return new RequestException(failure, detail);
  }
}
