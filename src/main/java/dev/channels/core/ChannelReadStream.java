package dev.channels.core;

import dev.channels.ChannelException;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.streams.ReadStream;

/**
 * A {@link ReadStream} over a local channel with real demand: it has at most one take outstanding,
 * and only while demand is positive. Pausing withdraws that take from the channel, so a paused
 * stream holds nothing back from other consumers.
 *
 * <p>The stream lives on the context that created it; its handlers run there. A take of the
 * stream that a put serves is told in a later turn (as the channel tells its served waiters), so
 * an item may already be on its way when pause is called: the stream then holds that one item and
 * delivers it first on the next demand.
 *
 * <p>It ends (end handler called once) when the channel is finished, no take of its own is in
 * flight, and any held item was handed out. Fields are confined to the stream's context.
 */
final class ChannelReadStream<T> implements ReadStream<T> {

  private final LocalChannel<T> channel;
  private final ChannelState<T> state;
  private final ContextInternal context;
  private Handler<T> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  /** The take this stream has waiting in the channel, if any. */
  private StreamTaker taker;
  /** An item that arrived when there was no demand for it. */
  private T held;
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
      while (handler != null && demand > 0 && taker == null) {
        T item = held;
        held = null;
        if (item == null && !channelFinished) {
          item = takeNowOrWait();
        }
        if (item == null) {
          break;
        }
        deliver(item);
      }
    } finally {
      pumping = false;
    }
    // a take still in flight may be bringing the channel's last item: the end waits for it
    if (channelFinished && held == null && taker == null && endHandler != null && !endDelivered) {
      endDelivered = true;
      endHandler.handle(null);
    }
  }

  /** An item at once, or {@code null} with a take left waiting (or the channel found finished). */
  private T takeNowOrWait() {
    StreamTaker waiting = new StreamTaker();
    taker = waiting;
    if (channel.isOnChannelContext()) {
      T item = state.poll();
      if (item != null || state.isFinished()) {
        taker = null;
        channelFinished |= item == null;
        return item;
      }
      state.enqueueTake(waiting);
      return null;
    }
    channel.runOnChannelContext(() -> {
      T item = state.poll();
      if (item != null) {
        waiting.onSuccess(item);
      } else if (state.isFinished()) {
        waiting.onFailure(state.closedException());
      } else {
        state.enqueueTake(waiting);
      }
    });
    return null;
  }

  private void withdrawTake() {
    StreamTaker waiting = taker;
    if (waiting == null) {
      return;
    }
    if (channel.isOnChannelContext()) {
      if (state.cancel(waiting)) {
        taker = null;
      }
    } else {
      // if the take completed meanwhile, its item arrives through arrived() and is held
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

  /** This stream's waiting take; its outcome is carried back to the stream's context. */
  private final class StreamTaker extends Waiter<T> {

    // Told in a later turn of the stream's context, like LocalChannel's served waiters: the put
    // that fed this take returns first, and the stream delivers what has accumulated in one loop.
    @Override
    protected void onSuccess(T item) {
      context.runOnContext(v -> {
        if (taker == this) {
          taker = null;
        }
        held = item;
        pump();
      });
    }

    @Override
    protected void onFailure(ChannelException cause) {
      // only close fails a take, and only once the channel is drained: the stream's end
      context.runOnContext(v -> {
        if (taker == this) {
          taker = null;
        }
        channelFinished = true;
        pump();
      });
    }
  }
}
