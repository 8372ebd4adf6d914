package dev.channels.client;

import dev.channels.Channel;
import dev.channels.ChannelClosedException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.streams.ReadStream;

/**
 * A {@link ReadStream} made of a channel's {@link Channel#take() takes}, with real demand: at most
 * one take outstanding, and only while there is demand and a handler. The next take is made while
 * the previous one completes, so over the event bus it rides on that delivery's acknowledgement.
 *
 * <p>A take cannot be withdrawn: paused while its take is out, the stream holds the item that take
 * brings and hands it out first on the next demand. It ends (end handler, once) when a take fails
 * {@link ChannelClosedException}: the channel is finished. Any other failure goes to the exception
 * handler and stops the stream (it takes nothing more).
 *
 * <p>Confined to the context that created it; its handlers run there. To be replaced by a
 * streaming consumer (docs/protocol.md, "Streaming consumers").
 */
final class TakeStream<T> implements ReadStream<T> {

  private final Channel<T> channel;
  private final ContextInternal context;
  private Handler<T> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean taking;
  /** An item that arrived when there was no demand (or handler) for it. */
  private T held;
  private boolean ended;
  private boolean endDelivered;
  private boolean stopped;

  TakeStream(Channel<T> channel, ContextInternal context) {
    this.channel = channel;
    this.context = context;
  }

  @Override
  public ReadStream<T> handler(Handler<T> handler) {
    onStreamContext(() -> {
      this.handler = handler;
      pump();
    });
    return this;
  }

  @Override
  public ReadStream<T> pause() {
    onStreamContext(() -> demand = 0);
    return this;
  }

  @Override
  public ReadStream<T> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<T> fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("fetch amount must be >= 0, not " + amount);
    }
    onStreamContext(() -> {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      pump();
    });
    return this;
  }

  @Override
  public ReadStream<T> endHandler(Handler<Void> endHandler) {
    onStreamContext(() -> {
      this.endHandler = endHandler;
      pump();
    });
    return this;
  }

  @Override
  public ReadStream<T> exceptionHandler(Handler<Throwable> handler) {
    onStreamContext(() -> this.exceptionHandler = handler);
    return this;
  }

  /** Hands out the held item if there is demand, then takes the next one; never more than one take out. */
  private void pump() {
    if (held != null && handler != null && demand > 0) {
      T item = held;
      held = null;
      deliver(item);
    }
    if (!ended && !stopped && !taking && held == null && handler != null && demand > 0) {
      taking = true;
      channel.take().onComplete(this::taken);
    }
    if (ended && held == null && endHandler != null && !endDelivered) {
      endDelivered = true;
      endHandler.handle(null);
    }
  }

  private void taken(AsyncResult<T> take) {
    taking = false;
    if (take.succeeded()) {
      held = take.result();
    } else if (take.cause() instanceof ChannelClosedException) {
      ended = true;
    } else {
      stopped = true;
      report(take.cause());
    }
    pump(); // within the take's completion: the next take rides on its acknowledgement
  }

  private void deliver(T item) {
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    try {
      handler.handle(item);
    } catch (Throwable failure) {
      report(failure);
    }
  }

  private void report(Throwable failure) {
    if (exceptionHandler != null) {
      exceptionHandler.handle(failure);
    } else {
      context.reportException(failure);
    }
  }

  private void onStreamContext(Runnable task) {
    ContextInternal current = ContextInternal.current();
    if (current != null && current.unwrap() == context.unwrap()) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }
}
