package dev.channels.impl.host;

import dev.channels.ChannelException;
import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Delivery;
import dev.channels.impl.core.Waiter;
import dev.channels.impl.protocol.Failure;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.concurrent.Executor;

/**
 * A request waiting in a channel: answered by reply or failure, or by 408 at its deadline. Its
 * answer goes through {@code teller}, which sends it after the answer to the request that served
 * it.
 */
class RequestWaiter<R> extends Waiter<R> {

  /** How a served waiter answers its request. */
  interface Answer<R> {
    /** @param delivery what a take was handed, when it acknowledges or the item was returned */
    void send(Message<Object> request, R result, Delivery<HostedItem> delivery);
  }

  private final Vertx vertx;
  private final Executor teller;
  final Message<Object> request;
  private final boolean acknowledges;
  private final Answer<R> answer;
  private long timerId = -1;

  RequestWaiter(Vertx vertx, Executor teller, Message<Object> request, boolean acknowledges, Answer<R> answer) {
    this.vertx = vertx;
    this.teller = teller;
    this.request = request;
    this.acknowledges = acknowledges;
    this.answer = answer;
  }

  /**
   * Starts the deadline: if the request still waits in {@code state} when it passes, it leaves
   * without trace and {@link #expired expires}.
   */
  void expireAfter(long timeoutMs, ChannelState<?> state, String operation) {
    timerId = vertx.setTimer(timeoutMs, id -> {
      if (state.cancel(this)) {
        expired(state.timeoutException(operation, timeoutMs));
      }
    });
  }

  /** Answers a request whose deadline passed while it waited: 408 unless overridden. */
  void expired(ChannelException timedOut) {
    Failure.of(timedOut).fail(request, timedOut.getMessage());
  }

  @Override
  protected boolean acknowledges() {
    return acknowledges;
  }

  @Override
  protected void onSuccess(R result) {
    vertx.cancelTimer(timerId);
    Delivery<HostedItem> delivery = delivery();
    teller.execute(() -> answer.send(request, result, delivery));
  }

  @Override
  protected void onFailure(ChannelException cause) {
    vertx.cancelTimer(timerId);
    teller.execute(() -> Failure.of(cause).fail(request, cause.getMessage()));
  }
}
