package dev.channels.impl.local;

import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Outcome;
import dev.channels.impl.core.Waiter;
import dev.channels.impl.core.Delivery;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.streams.ReadStream;

/**
 * A {@link ReadStream} over a local channel with real demand: it has at most one take outstanding,
 * and only while demand is positive. Pausing withdraws that take from the channel.
 *
 * <p>The stream lives on the context that created it; its handlers run there. On the channel's own
 * context it takes synchronously while items are buffered, and hands each item to the handler in
 * the same call. A take that has to wait (or that is dispatched from another context) is an
 * acknowledging one, because a put serves it on the channel's context while the stream is told a
 * turn later, on its own, when the handler or the demand may be gone.
 *
 * <p>Invariant: <em>the stream holds nothing</em>. An item served to its take is in flight (the
 * channel cannot finish meanwhile) until it reaches the stream's context; there, in that same turn,
 * it is acknowledged and handed to the handler if there is one and demand for it, and otherwise
 * {@link ChannelState#release released}: given back to the head of the channel (ahead of
 * never-taken items, and not counted as a delivery), where another take or stream, or this one on
 * its next demand, gets it. So a served item either reaches a handler or
 * goes back to the channel, and a paused stream holds back nothing from other consumers.
 *
 * <p>It ends (end handler called once) when the channel is finished and no take of its own is
 * outstanding; since an item on its way keeps the channel from finishing, the end comes after the
 * last item was handed out. Fields are confined to the stream's context.
 */
final class ChannelReadStream<T> implements ReadStream<T> {

  private final LocalChannel<T> channel;
  private final ChannelState<T> state;
  private final ContextInternal context;
  private Handler<T> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  /** The take this stream has outstanding (waiting in the channel, or its item on the way), if any. */
  private StreamTaker taker;
  private boolean channelFinished;
  private boolean endDelivered;
  private boolean pumping;

  ChannelReadStream(LocalChannel<T> channel, ContextInternal context) {
    this.channel = channel;
    this.state = channel.state();
    this.context = context;
    channel.finished().onComplete(v -> onStreamContext(() -> {
      channelFinished = true;
      pump();
    }));
  }

  @Override
  public ReadStream<T> handler(Handler<T> handler) {
    onStreamContext(() -> {
      this.handler = handler;
      if (handler == null) {
        withdrawTake();
      } else {
        pump();
      }
    });
    return this;
  }

  @Override
  public ReadStream<T> pause() {
    onStreamContext(() -> {
      demand = 0;
      withdrawTake();
    });
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

  /** Delivers while there is demand; loops rather than recursing, and never re-enters itself. */
  private void pump() {
    if (pumping) {
      return;
    }
    pumping = true;
    try {
      while (handler != null && demand > 0 && taker == null && !channelFinished) {
        T item = takeNowOrWait();
        if (item == null) {
          break;
        }
        deliver(item);
      }
    } finally {
      pumping = false;
    }
    // an outstanding take may be bringing the channel's last item: the end waits for it
    if (channelFinished && taker == null && endHandler != null && !endDelivered) {
      endDelivered = true;
      endHandler.handle(null);
    }
  }

  /**
   * An item at once (on the channel's context, a plain take: it is handed out in this very call),
   * or {@code null} with a take of the stream outstanding, or the channel found finished.
   */
  private T takeNowOrWait() {
    if (channel.isOnChannelContext()) {
      T item = state.poll();
      if (item == null) {
        if (state.isFinished()) {
          channelFinished = true;
        } else {
          taker = new StreamTaker();
          state.enqueueTake(taker);
        }
      }
      return item;
    }
    StreamTaker waiting = new StreamTaker();
    taker = waiting;
    channel.runOnChannelContext(waiting::takeOnChannelContext);
    return null;
  }

  private void withdrawTake() {
    StreamTaker waiting = taker;
    if (waiting == null) {
      return;
    }
    // a take that was served meanwhile is not withdrawn: its item reaches arrived(), which gives it
    // back if the handler or the demand is gone by then
    if (channel.isOnChannelContext()) {
      if (state.cancel(waiting)) {
        taker = null;
      }
    } else {
      channel.runOnChannelContext(() -> {
        if (state.cancel(waiting)) {
          onStreamContext(() -> {
            if (taker == waiting) {
              taker = null;
              pump();
            }
          });
        }
      });
    }
  }

  /**
   * On the stream's context, in a turn of its own: an item that a take of the stream was handed,
   * in flight until now. It goes to the handler if there is demand for it, else back to the channel.
   */
  private void arrived(StreamTaker waiting, Delivery<T> delivery) {
    if (taker == waiting) {
      taker = null;
    }
    if (handler == null || demand == 0) {
      channel.runOnChannelContext(() -> state.release(delivery));
    } else {
      channel.runOnChannelContext(() -> state.acknowledge(delivery));
      // no pump runs in this turn; a handler asking for more is served by the pump below
      pumping = true;
      try {
        deliver(delivery.item());
      } finally {
        pumping = false;
      }
    }
    pump();
  }

  private void deliver(T item) {
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    try {
      handler.handle(item);
    } catch (Throwable failure) {
      if (exceptionHandler != null) {
        exceptionHandler.handle(failure);
      } else {
        context.reportException(failure);
      }
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

  /**
   * A take of this stream: acknowledging, so that its item stays in flight until the stream has
   * handed it out or given it back. Its outcome is carried back to the stream's context.
   */
  private final class StreamTaker extends Waiter<T> {

    @Override
    protected boolean acknowledges() {
      return true;
    }

    /** The take dispatched from another context: an item now, or a wait, or the end. */
    void takeOnChannelContext() {
      Delivery<T> delivery = state.pollDelivery(true);
      if (delivery != null) {
        handedOut(delivery);
      } else if (state.isFinished()) {
        onFailure(Outcome.CLOSED, state.details().closed());
      } else {
        state.enqueueTake(this);
      }
    }

    // Told in a later turn of the stream's context, like LocalChannel's served waiters: the put
    // that fed this take returns first.
    @Override
    protected void onSuccess(T item) {
      handedOut(delivery());
    }

    @Override
    protected void onFailure(Outcome outcome, String detail) {
      // only close fails a take, and only once the channel is finished: the stream's end
      context.runOnContext(v -> {
        if (taker == this) {
          taker = null;
        }
        channelFinished = true;
        pump();
      });
    }

    private void handedOut(Delivery<T> delivery) {
      context.runOnContext(v -> arrived(this, delivery));
    }
  }
}
