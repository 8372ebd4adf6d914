package dev.channels.host;

import dev.channels.ChannelException;
import dev.channels.core.ChannelState;
import dev.channels.core.Waiter;
import dev.channels.protocol.Failure;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * A request waiting in a channel: answered by reply or failure, or by 408 at its deadline. Its
 * answer goes through {@code teller}, which sends it after the answer to the request that served
 * it.
 */
final class RequestWaiter<R> extends Waiter<R> {

  private final Vertx vertx;
  private final Executor teller;
  private final Message<Object> request;
  private final BiConsumer<Message<Object>, R> reply;
  private long timerId = -1;

  RequestWaiter(Vertx vertx, Executor teller, Message<Object> request, BiConsumer<Message<Object>, R> reply) {
    this.vertx = vertx;
    this.teller = teller;
    this.request = request;
    this.reply = reply;
  }

  /**
   * Starts the deadline: if the request still waits in {@code state} when it passes, it leaves
   * without trace and fails TIMEOUT.
   */
  void expireAfter(long timeoutMs, ChannelState<?> state, String operation) {
    timerId = vertx.setTimer(timeoutMs, id -> {
      if (state.cancel(this)) {
        ChannelException timedOut = state.timeoutException(operation, timeoutMs);
        Failure.of(timedOut).fail(request, timedOut.getMessage());
      }
    });
  }

  @Override
  protected void onSuccess(R result) {
    vertx.cancelTimer(timerId);
    teller.execute(() -> reply.accept(request, result));
  }

  @Override
  protected void onFailure(ChannelException cause) {
    vertx.cancelTimer(timerId);
    teller.execute(() -> Failure.of(cause).fail(request, cause.getMessage()));
  }
}
