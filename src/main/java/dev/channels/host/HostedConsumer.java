package dev.channels.host;

import dev.channels.ChannelException;
import dev.channels.core.ChannelState;
import dev.channels.core.Delivery;
import dev.channels.core.Waiter;
import dev.channels.protocol.Protocol;
import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One streaming consumer: while it has credit it waits for items like a take (in the same FIFO),
 * and the host pushes what it is handed, with every further item available, in batches. Each push
 * is a request whose answer settles its items: a reply acknowledges them (but those it nacks) and
 * may grant credit; a failure (the consumer's {@code fail}) gives them all back; a missing answer
 * (no handler at its address, or none within the ack deadline) removes the consumer, and then
 * gives them back.
 *
 * <p>Invariants: it waits in the channel only with credit, an empty buffer, and no pending batch;
 * once gone, it never waits or pushes again.
 */
final class HostedConsumer extends Waiter<HostedItem> {

  private final HostedChannel channel;
  private final ChannelState<HostedItem> state;
  private final Consumers consumers;
  private final String address;
  private int credit;
  /** What it was handed while waiting, pushed once the turn has answered its request. */
  private Handout handed;
  /** Pushes not yet answered: what returns if it goes away. */
  private final List<Handout> unanswered = new ArrayList<>();
  private boolean gone;

  HostedConsumer(HostedChannel channel, Consumers consumers, String address, int credit) {
    this.channel = channel;
    this.state = channel.state();
    this.consumers = consumers;
    this.address = address;
    this.credit = credit;
  }

  String address() {
    return address;
  }

  void grant(int more) {
    credit = (int) Math.min(Integer.MAX_VALUE, (long) credit + more);
    wantMore();
  }

  /** Pushes what is available, up to its credit, then waits for more if credit is left. */
  void wantMore() {
    if (gone || handed != null || isWaiting()) {
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
   * Leaves: stops waiting, and gives back every item not yet acknowledged (none if the channel was
   * discarded: it forgot them). Returns how many went back.
   */
  int leave() {
    gone = true;
    if (state.cancel(this)) {
      consumers.waitingChanged(-1);
    }
    int returned = 0;
    for (Handout push : unanswered) {
      for (Delivery<HostedItem> delivery : push.inFlight()) {
        returned += state.giveBack(delivery) ? 1 : 0;
      }
    }
    unanswered.clear();
    return returned;
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
      if (gone) { // left within the turn: the item goes back
        handout.inFlight().forEach(state::giveBack);
        return;
      }
      push(handout);
      wantMore();
    });
  }

  @Override
  protected void onFailure(ChannelException cause) {
    // the channel finished or was discarded: Consumers tells the consumer
    consumers.waitingChanged(-1);
  }

  /** Sends a batch: the rest of what is available now, up to its credit and one message's worth. */
  private void push(Handout handout) {
    int before = handout.size();
    handout.addAvailable(state, Math.min(Protocol.MAX_PUSH, before + credit), true);
    credit -= handout.size() - before;
    unanswered.add(handout);
    DeliveryOptions options = handout.options().setSendTimeout(channel.host().config().ackTimeoutMs());
    channel.host().vertx().eventBus().<Object>request(address, handout.body(), options)
        .onComplete(answer -> channel.inTurn(() -> settle(handout, answer)));
  }

  private void settle(Handout push, AsyncResult<Message<Object>> answer) {
    if (gone || !unanswered.remove(push)) {
      return; // it left: its items went back then
    }
    if (answer.failed()) {
      if (answer.cause() instanceof ReplyException failed && failed.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        push.inFlight().forEach(state::giveBack); // its fail(): a nack of the whole push
        wantMore();
        return;
      }
      // gone: it leaves first (its other pushes return), so that none of its items comes back to it
      consumers.expired(this, answer.cause().getMessage());
      push.inFlight().forEach(state::giveBack);
      return;
    }
    Object body = answer.result().body();
    if (body instanceof JsonObject reply && !settleAsTold(push, reply)) {
      push.inFlight().forEach(state::giveBack); // an answer it cannot mean: nothing is lost
    } else if (!(body instanceof JsonObject)) {
      push.inFlight().forEach(state::acknowledge);
    }
    wantMore();
  }

  /**
   * Applies a reply object: {@code nack} indices go back, the rest are acknowledged, {@code
   * credit} is granted. Returns {@code false}, settling nothing, if it is malformed.
   */
  private boolean settleAsTold(Handout push, JsonObject reply) {
    Object nack = reply.getValue("nack");
    Object more = reply.getValue("credit");
    List<Delivery<HostedItem>> items = push.inFlight();
    boolean[] returned = new boolean[items.size()];
    if (nack != null) {
      if (!(nack instanceof JsonArray indices)) {
        return false;
      }
      for (Object index : indices) {
        if (!Protocol.isJsonInteger(index) || ((Number) index).longValue() < 0
            || ((Number) index).longValue() >= items.size()) {
          return false;
        }
        returned[((Number) index).intValue()] = true;
      }
    }
    if (more != null && (!Protocol.isJsonInteger(more) || ((Number) more).longValue() < 0
        || ((Number) more).longValue() > Integer.MAX_VALUE)) {
      return false;
    }
    for (int i = 0; i < items.size(); i++) {
      if (returned[i]) {
        state.giveBack(items.get(i));
      } else {
        state.acknowledge(items.get(i));
      }
    }
    if (more != null) {
      credit = (int) Math.min(Integer.MAX_VALUE, (long) credit + ((Number) more).intValue());
    }
    return true;
  }
}
