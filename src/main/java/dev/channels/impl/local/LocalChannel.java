package dev.channels.impl.local;

import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.Waiter;
import dev.channels.Channel;
import dev.channels.ChannelException;
import dev.channels.ChannelStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The in-process {@link Channel}: a {@link ChannelState} confined to one Vert.x context. Calls made
 * on that context run at once (an operation that can complete now returns a completed future);
 * calls from elsewhere are dispatched onto it and their futures complete on the caller's context.
 *
 * <p>A waiting operation that another operation serves (a take fed by a put, a put admitted by a
 * take, waiters failed by close) has its state settled at once, within the serving operation, but
 * its future completes in a later turn of the context, in the order the waiters were served.
 */
public final class LocalChannel<T> implements Channel<T> {

  private static final long NO_DEADLINE = -1;

  private final ContextInternal context;
  /** {@code context} without duplication: a caller on a duplicate of it runs here too. */
  private final ContextInternal home;
  private final ChannelState<T> state;
  private final PromiseInternal<Void> finished;
  private final Future<Void> done;

  public LocalChannel(Context context, String name, int capacity) {
    this.context = (ContextInternal) Objects.requireNonNull(context, "context");
    this.home = this.context.unwrap();
    this.finished = this.context.promise();
    // told like a served waiter: after the waiters that the finishing operation served
    this.state = new ChannelState<>(name, capacity, () -> this.context.runOnContext(v -> finished.complete()));
    this.done = this.context.succeededFuture();
  }

  @Override
  public String name() {
    return state.name();
  }

  @Override
  public Future<Void> put(T item) {
    return put(item, NO_DEADLINE);
  }

  @Override
  public Future<Void> put(T item, Duration timeout) {
    long timeoutMs = toMillis(timeout);
    return timeoutMs < 0 ? invalidTimeout(timeout) : put(item, timeoutMs);
  }

  @Override
  public Future<Void> offer(T item) {
    if (item == null) {
      return nullItem();
    }
    return isOnChannelContext() ? offerHere(item) : dispatch(() -> offerHere(item));
  }

  @Override
  public Future<Integer> putAll(List<T> items) {
    List<T> batch;
    try {
      batch = List.copyOf(items); // rejects a null list or item, and a later change by the caller
    } catch (NullPointerException nullItem) {
      return nullItem();
    }
    return onChannelContext(() -> new BatchPut(batch).start());
  }

  @Override
  public Future<T> take() {
    return take(NO_DEADLINE);
  }

  @Override
  public Future<T> take(Duration timeout) {
    long timeoutMs = toMillis(timeout);
    return timeoutMs < 0 ? invalidTimeout(timeout) : take(timeoutMs);
  }

  @Override
  public Future<List<T>> take(int max) {
    if (max < 1) {
      return callerContext().failedFuture(new IllegalArgumentException(
          "channel '" + state.name() + "': max must be at least 1, not " + max));
    }
    return onChannelContext(() -> takeHere(NO_DEADLINE).map(first -> {
      // completed on the channel's context: the items available now join the first
      List<T> batch = new ArrayList<>(Math.min(max, state.size() + 1));
      batch.add(first);
      T next;
      while (batch.size() < max && (next = state.poll()) != null) {
        batch.add(next);
      }
      return batch;
    }));
  }

  @Override
  public Future<T> poll() {
    return isOnChannelContext() ? pollHere() : dispatch(this::pollHere);
  }

  @Override
  public Future<Void> close() {
    return onChannelContext(() -> {
      state.close();
      return done;
    });
  }

  @Override
  public Future<Void> join() {
    return onChannelContext(() -> state.isFinished() ? done : finished.future());
  }

  @Override
  public ReadStream<T> stream() {
    ContextInternal current = ContextInternal.current();
    return new ChannelReadStream<>(this, current != null ? current : context);
  }

  @Override
  public Future<ChannelStatus> status() {
    return onChannelContext(() -> context.succeededFuture(state.status()));
  }

  @Override
  public boolean isClosed() {
    return state.isClosed();
  }

  @Override
  public boolean isFinished() {
    return state.isFinished();
  }

  // the getters may be called from any thread: the flags are volatile, the size is read opaquely
  @Override
  public int size() {
    return state.sizeFromAnyThread();
  }

  @Override
  public int capacity() {
    return state.capacity();
  }

  @Override
  public String toString() {
    return "LocalChannel[" + state.status() + "]";
  }

  ChannelState<T> state() {
    return state;
  }

  Future<Void> finished() {
    return finished.future();
  }

  /** Runs {@code task} on the channel's context: now if already there, else dispatched. */
  void runOnChannelContext(Runnable task) {
    if (isOnChannelContext()) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  // put, take, offer and poll test the context themselves rather than going through
  // onChannelContext: on the hot path that spares a capturing lambda per call.

  private Future<Void> put(T item, long timeoutMs) {
    if (item == null) {
      return nullItem();
    }
    return isOnChannelContext() ? putHere(item, timeoutMs) : dispatch(() -> putHere(item, timeoutMs));
  }

  private Future<T> take(long timeoutMs) {
    return isOnChannelContext() ? takeHere(timeoutMs) : dispatch(() -> takeHere(timeoutMs));
  }

  private Future<Void> putHere(T item, long timeoutMs) {
    return switch (state.offer(item)) {
      case ACCEPTED -> done;
      case CLOSED -> context.failedFuture(state.closedException());
      case FULL -> {
        if (timeoutMs == 0) {
          yield context.failedFuture(state.timeoutException("put", 0));
        }
        PromiseWaiter<Void> putter = new PromiseWaiter<>();
        state.enqueuePut(item, putter);
        yield putter.armed("put", timeoutMs);
      }
    };
  }

  private Future<T> takeHere(long timeoutMs) {
    T item = state.poll();
    if (item != null) {
      return context.succeededFuture(item);
    }
    if (state.isFinished()) {
      return context.failedFuture(state.closedException());
    }
    if (timeoutMs == 0) {
      return context.failedFuture(state.timeoutException("take", 0));
    }
    PromiseWaiter<T> taker = new PromiseWaiter<>();
    state.enqueueTake(taker);
    return taker.armed("take", timeoutMs);
  }

  private Future<Void> offerHere(T item) {
    return switch (state.offer(item)) {
      case ACCEPTED -> done;
      case FULL -> context.failedFuture(state.fullException());
      case CLOSED -> context.failedFuture(state.closedException());
    };
  }

  private Future<T> pollHere() {
    T item = state.poll();
    if (item != null) {
      return context.succeededFuture(item);
    }
    return context.failedFuture(state.isFinished() ? state.closedException() : state.emptyException());
  }

  /**
   * Runs {@code operation} on the channel's context and hands its outcome to the caller's context.
   * On the channel's own context this is a plain call: the hot path dispatches nothing.
   */
  private <R> Future<R> onChannelContext(Supplier<Future<R>> operation) {
    return isOnChannelContext() ? operation.get() : dispatch(operation);
  }

  /** Runs {@code operation} on the channel's context from elsewhere; completes on the caller's. */
  private <R> Future<R> dispatch(Supplier<Future<R>> operation) {
    ContextInternal caller = ContextInternal.current();
    PromiseInternal<R> result = caller != null ? caller.promise() : context.promise();
    context.runOnContext(v -> operation.get().onComplete(result));
    return result.future();
  }

  boolean isOnChannelContext() {
    ContextInternal current = ContextInternal.current();
    // the common case first: the very context the channel was created on
    return current == context || current != null && current.unwrap() == home;
  }

  private <R> Future<R> nullItem() {
    return callerContext().failedFuture(
        new NullPointerException("channel '" + state.name() + "': null items are not allowed"));
  }

  private <R> Future<R> invalidTimeout(Duration timeout) {
    return callerContext().failedFuture(new IllegalArgumentException(
        "channel '" + state.name() + "': timeout must be zero or positive, not " + timeout));
  }

  /** The context a rejection answers on: the caller's, as for every other outcome. */
  private ContextInternal callerContext() {
    ContextInternal caller = ContextInternal.current();
    return caller != null ? caller : context;
  }

  /** The timeout in ms, or {@code -1} when it is not a valid timeout (null or negative). */
  private static long toMillis(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      return -1;
    }
    // a positive timeout below a millisecond still waits: round it up
    return timeout.isZero() ? 0 : Math.max(1, timeout.toMillis());
  }

  /**
   * A {@link #putAll}: offers its items in order; when the channel is full, the next item waits
   * like a put, and the rest follow once it is admitted.
   */
  private final class BatchPut extends Waiter<Void> {

    private final List<T> items;
    private final PromiseInternal<Integer> promise = context.promise();
    private int enqueued;

    BatchPut(List<T> items) {
      this.items = items;
    }

    Future<Integer> start() {
      if (state.isClosed()) {
        return context.failedFuture(state.closedException());
      }
      putRest();
      return promise.future();
    }

    private void putRest() {
      while (enqueued < items.size()) {
        switch (state.offer(items.get(enqueued))) {
          case ACCEPTED -> enqueued++;
          case CLOSED -> {
            closedMidway(state.closedException());
            return;
          }
          case FULL -> {
            state.enqueuePut(items.get(enqueued), this);
            return;
          }
        }
      }
      promise.complete(enqueued);
    }

    private void closedMidway(ChannelException closed) {
      if (enqueued == 0) {
        promise.fail(closed);
      } else {
        promise.complete(enqueued);
      }
    }

    // told like any served waiter: in a later turn; the batch then goes on from there
    @Override
    protected void onSuccess(Void admitted) {
      context.runOnContext(v -> {
        enqueued++;
        putRest();
      });
    }

    @Override
    protected void onFailure(ChannelException cause) {
      context.runOnContext(v -> closedMidway(cause));
    }
  }

  /** A waiting put or take whose outcome completes a promise, optionally under a deadline. */
  private final class PromiseWaiter<R> extends Waiter<R> {

    private final PromiseInternal<R> promise = context.promise();
    private long timerId = -1;

    Future<R> armed(String operation, long timeoutMs) {
      if (timeoutMs > 0) {
        timerId = context.setTimer(timeoutMs, id -> {
          if (state.cancel(this)) {
            promise.fail(state.timeoutException(operation, timeoutMs));
          }
        });
      }
      return promise.future();
    }

    // Served by another operation: the outcome is dispatched, not delivered inside that operation
    // (Go readies a woken goroutine, Kotlin dispatches a resumed coroutine). The serving caller runs
    // on, so a consumer draining a full channel and the producer refilling it each proceed in
    // batches rather than alternating item by item. Dispatches keep the order of service (FIFO).
    @Override
    protected void onSuccess(R result) {
      disarm();
      context.runOnContext(v -> promise.complete(result));
    }

    @Override
    protected void onFailure(ChannelException cause) {
      disarm();
      context.runOnContext(v -> promise.fail(cause));
    }

    private void disarm() {
      if (timerId >= 0) {
        context.owner().cancelTimer(timerId);
      }
    }
  }
}
