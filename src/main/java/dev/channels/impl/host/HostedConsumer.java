package dev.channels.impl.host;

import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Delivery;
import dev.channels.impl.core.Outcome;
import dev.channels.impl.core.Waiter;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.Settlement;
import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One streaming consumer: while it has credit it waits for items like a take (in the same FIFO),
 * and the host pushes what it is handed, with every further item available, in batches. Each push
 * is a request whose answer settles its items (docs/protocol.md, "Settling a delivery") and may
 * grant credit; a failure (the consumer's {@code fail}) nacks them all; a missing answer (no handler
 * at its address, or none before the ack deadline) removes the consumer, and then gives them back.
 *
 * <p>Invariants: it waits in the channel only with credit, an empty buffer, and no pending batch;
 * once gone or suspended, it never waits or pushes again.
 */
final class HostedConsumer extends Waiter<HostedItem> {

  private final HostedChannel channel;
  private final ChannelState<HostedItem> state;
  private final Consumers consumers;
  private final String address;
  /** Its cluster node (its consume's {@code node} header), or {@code null}. */
  private final String node;
  private int credit;
  /** What it was handed while waiting, pushed once the turn has answered its request. */
  private Handout handed;
  /** Pushes not yet answered: what returns if it goes away. */
  private final List<Handout> unanswered = new ArrayList<>();
  private boolean gone;
  /** Its host stops serving the channel: it pushes no more, but its answers still settle. */
  private boolean suspended;

  HostedConsumer(HostedChannel channel, Consumers consumers, String address, int credit, String node) {
    this.channel = channel;
    this.state = channel.state();
    this.consumers = consumers;
    this.address = address;
    this.node = node;
    this.credit = credit;
  }

  String address() {
    return address;
  }

  /** Whether it consumes from cluster node {@code node}. */
  boolean isOn(String node) {
    return node.equals(this.node);
  }

  void grant(int more) {
    credit = (int) Math.min(Integer.MAX_VALUE, (long) credit + more);
    wantMore();
  }

  /** Pushes what is available, up to its credit, then waits for more if credit is left. */
  void wantMore() {
    if (gone || suspended || handed != null || isWaiting()) {
      return;
    }
    while (credit > 0 && !gone) { // a push to an address that is already gone removes it at once
      HostedItem next = state.peek();
      if (next == null) {
        break;
      }
      Handout handout = new Handout(true, true);
      handout.add(next, state.pollDelivery(true));
      credit--;
      push(handout);
    }
    if (credit > 0 && !gone && !state.isFinished()) {
      state.enqueueTake(this);
      consumers.waitingChanged(1);
    }
  }

  /**
   * Leaves, gone without a word (its address vanished, or it let the ack deadline pass): stops
   * waiting, and gives back every item of its unanswered pushes as never answered, counted (none if
   * the channel was discarded: it forgot them).
   */
  void leave() {
    leave(delivery -> state.expire(delivery) != ChannelState.Returned.NOT_IN_FLIGHT);
  }

  /**
   * Leaves when it asks to ({@code cancel}): stops waiting, and gives back every item of its
   * unanswered pushes as released, not counted: a consumer answers what it handled before it
   * cancels, so what is left never reached it. Returns how many went back.
   */
  int cancel() {
    return leave(state::release);
  }

  private int leave(Predicate<Delivery<HostedItem>> giveBack) {
    gone = true;
    stopWaiting();
    int returned = 0;
    for (Handout push : unanswered) {
      channel.inFlight().answered(push);
      for (Delivery<HostedItem> delivery : push.inFlight()) {
        returned += giveBack.test(delivery) ? 1 : 0;
      }
    }
    unanswered.clear();
    return returned;
  }

  /** Its host stops serving the channel: it stops waiting and pushing; its pushes' answers still count. */
  void suspend() {
    suspended = true;
    stopWaiting();
  }

  @Override
  protected boolean acknowledges() {
    return true;
  }

  // handed an item while waiting: take the rest of the batch once the serving turn has answered
  @Override
  protected void onSuccess(HostedItem item) {
    consumers.waitingChanged(-1);
    handed = new Handout(true, true);
    handed.add(item, delivery());
    credit--;
    channel.tell(() -> {
      Handout handout = handed;
      handed = null;
      if (gone || suspended) { // left within the turn: the item goes back, never handed to it
        handout.inFlight().forEach(state::release);
        return;
      }
      push(handout);
      wantMore();
    });
  }

  @Override
  protected void onFailure(Outcome outcome, String detail) {
    // the channel finished, was discarded, or its host stops: Consumers tells the consumer
    consumers.waitingChanged(-1);
  }

  private void stopWaiting() {
    if (state.cancel(this)) {
      consumers.waitingChanged(-1);
    }
  }

  /** Sends a batch: the rest of what is available now, up to its credit and one message's worth. */
  private void push(Handout handout) {
    int before = handout.size();
    handout.addAvailable(state, Math.min(Protocol.MAX_PUSH, before + credit), true);
    credit -= handout.size() - before;
    unanswered.add(handout);
    channel.inFlight().await(handout, () -> consumers.expired(this, "no answer to a push within ackTimeoutMs ("
        + channel.config().ackTimeoutMs() + " ms)"));
    DeliveryOptions options = handout.options()
        .setSendTimeout(AckDeadlines.replyTimeoutMs(channel.config().ackTimeoutMs()));
    LocalDirectory servedBy = channel.directory();
    Object body = handout.body();
    channel.answer(() -> channel.vertx().eventBus().<Object>request(address, body, options)
        .onComplete(answer -> channel.onServingHost(servedBy, answer, () -> settle(handout, answer))));
  }

  private void settle(Handout push, AsyncResult<Message<Object>> answer) {
    InFlight inFlight = channel.inFlight();
    if (!inFlight.answered(push) || !unanswered.remove(push)) {
      return; // late: it expired (and left), or left otherwise; its items went back then
    }
    if (answer.failed()) {
      if (answer.cause() instanceof ReplyException failed && failed.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        inFlight.nackAll(push.inFlight()); // its fail(): a nack of the whole push
        wantMore();
        return;
      }
      // gone: it leaves first (its other pushes return), so that none of its items comes back to it
      consumers.expired(this, answer.cause().getMessage());
      inFlight.expireAll(push.inFlight());
      return;
    }
    Message<Object> reply = answer.result();
    if (reply.headers().contains(Protocol.ACTION)) { // nothing rides on a push's answer: refused, the push acknowledged
      Failure.BAD_REQUEST.fail(reply, channel.where() + ": a request cannot ride on the answer to a push;"
          + " send it to the channel's address");
      inFlight.settle(push.inFlight(), Settlement.decode(null, push.inFlight().size()));
      wantMore();
      return;
    }
    Settlement settlement;
    try {
      settlement = Settlement.decode(reply.body(), push.inFlight().size());
    } catch (IllegalArgumentException nonsense) {
      inFlight.nackAll(push.inFlight()); // an answer it cannot mean: nothing is lost, nothing granted
      wantMore();
      return;
    }
    inFlight.settle(push.inFlight(), settlement);
    if (settlement.credit() > 0) {
      credit = (int) Math.min(Integer.MAX_VALUE, credit + settlement.credit());
    }
    wantMore();
  }
}
