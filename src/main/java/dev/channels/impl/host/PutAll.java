package dev.channels.impl.host;

import dev.channels.ChannelException;
import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Waiter;
import dev.channels.impl.protocol.ChannelRequest;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Items;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.RequestException;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A {@code put-all}: offers its items in order; when the channel is full the next item waits like
 * a put, and the rest follow once it is admitted. Answers {@code {"enqueued": N}} (with {@code
 * "stopped"} when it stopped early), or fails like a put when it could enqueue none.
 */
final class PutAll extends Waiter<Void> {

  private final HostedChannel channel;
  private final ChannelState<HostedItem> state;
  private final Message<Object> request;
  private final JsonArray items;
  private final MultiMap headers;
  private int enqueued;
  private long timeoutMs;
  private long timerId = -1;

  PutAll(HostedChannel channel, ChannelRequest request, Message<Object> message) {
    this.channel = channel;
    this.state = channel.state();
    this.request = message;
    this.items = (JsonArray) request.item();
    this.headers = request.itemHeaders();
  }

  /** @param timeoutMs how long it may wait, counted from when it first has to */
  void start(long timeoutMs) {
    if (state.isClosed()) {
      throw HostedChannel.refusal(Failure.CLOSED, channel.where() + " is closed");
    }
    this.timeoutMs = timeoutMs;
    putRest();
  }

  private void putRest() {
    while (enqueued < items.size()) {
      HostedItem item = new HostedItem(Items.element(items, enqueued), headers);
      try {
        if (state.waitingTakers() == 0) {
          channel.checkRoomForAnItem();
        }
      } catch (RequestException overloaded) {
        stop(overloaded.failure(), overloaded.detail(), Protocol.STOPPED_OVERLOADED);
        return;
      }
      switch (state.offer(item)) {
        case ACCEPTED -> enqueued++;
        case CLOSED -> {
          stop(Failure.CLOSED, channel.where() + " is closed", Protocol.STOPPED_CLOSED);
          return;
        }
        case FULL -> {
          await(item);
          return;
        }
      }
    }
    stopTimer();
    request.reply(new JsonObject().put(Protocol.ENQUEUED, enqueued));
  }

  private void await(HostedItem item) {
    if (timeoutMs == 0) {
      stop(Failure.TIMEOUT, channel.where() + " is full and the put-all may not wait (timeout 0)", Protocol.STOPPED_TIMEOUT);
      return;
    }
    if (timerId < 0) { // the first wait
      try {
        channel.checkRoomForAWaiter();
      } catch (RequestException overloaded) {
        stop(overloaded.failure(), overloaded.detail(), Protocol.STOPPED_OVERLOADED);
        return;
      }
      timerId = channel.host().vertx().setTimer(timeoutMs, id -> {
        if (state.cancel(this)) {
          stop(Failure.TIMEOUT, state.timeoutException("put-all", timeoutMs).getMessage(), Protocol.STOPPED_TIMEOUT);
        }
      });
    }
    state.enqueuePut(item, this);
  }

  /** Answers with how many were enqueued and why it stopped; fails when that is none. */
  private void stop(Failure failure, String detail, String reason) {
    stopTimer();
    if (enqueued == 0) {
      failure.fail(request, detail);
    } else {
      request.reply(new JsonObject().put(Protocol.ENQUEUED, enqueued).put(Protocol.STOPPED, reason));
    }
  }

  private void stopTimer() {
    if (timerId >= 0) {
      channel.host().vertx().cancelTimer(timerId);
    }
  }

  // told after the answer of the request that admitted the item, like any served put
  @Override
  protected void onSuccess(Void admitted) {
    channel.tell(() -> {
      enqueued++;
      putRest();
    });
  }

  @Override
  protected void onFailure(ChannelException cause) {
    Failure failure = Failure.of(cause);
    String reason = failure == Failure.UNAVAILABLE ? Protocol.STOPPED_UNAVAILABLE : Protocol.STOPPED_CLOSED;
    channel.tell(() -> stop(failure, cause.getMessage(), reason));
  }
}
