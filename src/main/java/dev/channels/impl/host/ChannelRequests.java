package dev.channels.impl.host;

import dev.channels.impl.core.Outcome;
import dev.channels.impl.protocol.ChannelRequest;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.RequestException;
import dev.channels.impl.protocol.Settlement;
import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The requests to one hosted channel: each decoded once, applied as one operation of the channel
 * ({@link dev.channels.impl.core.ChannelOperations}), and its outcome encoded once; and the answers
 * to its deliveries, which settle their items. Runs within the channel's turns.
 */
final class ChannelRequests {

  private final HostedChannel channel;

  ChannelRequests(HostedChannel channel) {
    this.channel = channel;
  }

  /** Decodes a request to the channel and applies it; a malformed one is refused. */
  void handle(Message<Object> message) {
    try {
      apply(ChannelRequest.decode(channel.where(), message), message);
    } catch (RequestException refused) {
      channel.answer(() -> refused.failure().fail(message, refused.detail()));
    }
  }

  private void apply(ChannelRequest request, Message<Object> message) {
    switch (request.action()) {
      case PUT -> put(request, message, true);
      case OFFER -> put(request, message, false);
      case PUT_ALL -> PutAll.start(channel, request, message, deadline(request));
      case TAKE -> take(request, message, true);
      case POLL -> take(request, message, false);
      case CLOSE -> {
        channel.state().close();
        channel.replyStatus(message);
      }
      case JOIN -> join(request, message);
      case STATUS -> channel.replyStatus(message);
      case CONSUME -> channel.consumers().consume(request, message);
      case CREDIT -> channel.consumers().credit(request, message);
      case CANCEL -> channel.consumers().cancel(request, message);
      case ATTACH -> channel.producers().attach(request, message);
      case RENEW -> channel.producers().renew(request, message);
      case DETACH -> channel.producers().detach(request, message);
      default -> throw new IllegalStateException("not a channel action: " + request.action());
    }
  }

  /**
   * A put or offer; one whose idempotency key the channel remembers is answered as the first was,
   * and enqueues nothing, and a repeat of one still waiting for room is refused.
   */
  private void put(ChannelRequest request, Message<Object> message, boolean mayWait) {
    Idempotence idempotence = channel.idempotence();
    if (idempotence.redirected(request, message)) {
      return; // sent again after a failover, while the first waits here: that one answers this
    }
    if (idempotence.repeated(request) >= 0) {
      channel.answer(() -> message.reply(null));
      return;
    }
    if (idempotence.isWaiting(request)) {
      channel.answer(() -> Failure.CONFLICT.fail(message, stillWaiting(channel, request)));
      return;
    }
    HostedItem item = new HostedItem(request.item(), request.itemHeaders());
    long timeoutMs = deadline(request);
    // the waiter is made only for a put that waits for room (WAITS)
    Outcome outcome = channel.operations().put(item, mayWait, timeoutMs, () -> {
      RequestWaiter<Void> put = new RequestWaiter<Void>(channel, message, false, (m, none, delivery) -> {
        idempotence.done(request, 1, true);
        channel.answer(() -> m.reply(null));
      }).whenFailed(() -> idempotence.done(request, 0, false));
      idempotence.waits(request, 0, put::answer);
      return put;
    });
    switch (outcome) {
      case DONE -> {
        idempotence.done(request, 1, true);
        channel.answer(() -> message.reply(null));
      }
      case WAITS -> { }
      default -> fail(message, outcome, request, timeoutMs);
    }
  }

  /** Why a put repeating the idempotency key of a put still waiting for room is refused. */
  static String stillWaiting(HostedChannel channel, ChannelRequest request) {
    return channel.where() + ": a put with idempotency key '" + request.key() + "' is still waiting for room;"
        + " this repeat of it enqueued nothing";
  }

  private void take(ChannelRequest request, Message<Object> message, boolean mayWait) {
    boolean ack = request.acknowledge();
    int max = request.max();
    HostedItem item = channel.state().peek();
    if (item != null) {
      Handout handout = new Handout(max > 0, ack).toNode(request.node());
      handout.add(item, channel.state().pollDelivery(ack));
      handout.addAvailable(channel.state(), max, ack);
      deliver(message, handout);
      return;
    }
    long timeoutMs = deadline(request);
    Outcome outcome = channel.operations().awaitItem(mayWait, timeoutMs,
        () -> new RequestWaiter<HostedItem>(channel, message, ack, (m, served, delivery) -> {
          Handout handout = new Handout(max > 0, ack).toNode(request.node());
          handout.add(served, delivery);
          handout.addAvailable(channel.state(), max, ack);
          deliver(m, handout);
        }).fromNode(request.node()));
    if (outcome != Outcome.WAITS) {
      fail(message, outcome, request, timeoutMs);
    }
  }

  /** Answers a request with the failure an operation came to. */
  private void fail(Message<Object> message, Outcome outcome, ChannelRequest request, long timeoutMs) {
    String detail = channel.operations().detail(outcome, request.action().wireName(), timeoutMs);
    channel.answer(() -> Failure.of(outcome).fail(message, detail));
  }

  /**
   * Answers a take with what it was handed. Acknowledged: with {@code replyAndRequest}, whose
   * answer settles the items (docs/protocol.md, "Settling a delivery"), and may carry the taker's
   * next request; a failure or a lost taker gives them back, and so does the ack deadline.
   */
  private void deliver(Message<Object> take, Handout handout) {
    DeliveryOptions headers = handout.options();
    Object body = handout.body();
    if (handout.inFlight().isEmpty()) {
      channel.answer(() -> take.reply(body, headers == null ? new DeliveryOptions() : headers));
      return;
    }
    DeliveryOptions options = (headers == null ? new DeliveryOptions() : headers)
        .setSendTimeout(AckDeadlines.replyTimeoutMs(channel.config().ackTimeoutMs()));
    channel.inFlight().await(handout, () -> channel.inFlight().expireAll(handout.inFlight()));
    LocalDirectory servedBy = channel.directory();
    channel.answer(() -> take.replyAndRequest(body, options)
        .onComplete(answer -> channel.onServingHost(servedBy, answer, () -> answered(handout, answer))));
  }

  /**
   * The taker's answer to a delivery, which settles its items. A late one (after the ack deadline:
   * the items went back then) changes nothing, and the request riding on it is refused {@code
   * ACK_EXPIRED}, unhandled, so that its taker knows and sends it again on its own.
   */
  private void answered(Handout handout, AsyncResult<Message<Object>> answer) {
    boolean inTime = channel.inFlight().answered(handout);
    if (answer.failed()) {
      if (inTime && answer.cause() instanceof ReplyException failed
          && failed.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        channel.inFlight().nackAll(handout.inFlight()); // its fail(): a nack
      } else if (inTime) {
        channel.inFlight().expireAll(handout.inFlight()); // its taker is gone
      }
      return;
    }
    Message<Object> reply = answer.result();
    boolean riding = reply.headers().contains(Protocol.ACTION);
    if (!inTime) {
      if (riding && (channel.isDeleted() || channel.isSuspended())) {
        channel.handle(reply); // refused as any request to it is now
      } else if (riding) {
        Failure.ACK_EXPIRED.fail(reply, channel.where() + ": the acknowledgement came after the ack deadline (ackTimeoutMs "
            + channel.config().ackTimeoutMs() + "): its items went back; this request was not handled");
      }
      return;
    }
    try {
      // the body of an answer that carries a request is that request's: such an answer acknowledges
      Object settlement = riding ? null : reply.body();
      channel.inFlight().settle(handout.inFlight(), Settlement.ofTakeAnswer(settlement, handout.inFlight().size()));
    } catch (IllegalArgumentException nonsense) {
      channel.inFlight().nackAll(handout.inFlight()); // an answer it cannot mean: nothing is lost
    }
    if (riding) { // the taker's next request rides on its answer
      channel.handle(reply);
    }
  }

  private void join(ChannelRequest request, Message<Object> message) {
    long timeoutMs = deadline(request);
    Outcome outcome = channel.operations().join(timeoutMs,
        () -> new RequestWaiter<Void>(channel, message, false, (m, none, delivery) -> channel.replyStatus(m)));
    switch (outcome) {
      case DONE -> channel.replyStatus(message);
      case WAITS -> { }
      default -> fail(message, outcome, request, timeoutMs);
    }
  }

  long deadline(ChannelRequest request) {
    return request.timeoutMs() >= 0 ? request.timeoutMs() : channel.config().defaultTimeoutMs();
  }

}
