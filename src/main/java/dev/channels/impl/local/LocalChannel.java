package dev.channels.impl.local;

import dev.channels.Channel;
import dev.channels.ChannelConflictException;
import dev.channels.ChannelProducer;
import dev.channels.ChannelStatus;
import dev.channels.impl.core.BatchPut;
import dev.channels.impl.core.ChannelObserver;
import dev.channels.impl.core.ChannelOperations;
import dev.channels.impl.core.ChannelState;
import dev.channels.impl.core.DeadlineWaiter;
import dev.channels.impl.core.IdempotencyKeys;
import dev.channels.impl.core.Outcome;
import dev.channels.impl.protocol.Failure;
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

  private static final long NO_DEADLINE = ChannelOperations.NO_DEADLINE;

  private final ContextInternal context;
  /** {@code context} without duplication: a caller on a duplicate of it runs here too. */
  private final ContextInternal home;
  private final ChannelState<T> state;
  /** The idempotency keys of its puts, once one carried a key; confined to its context. */
  private IdempotencyKeys keys;
  private final ChannelOperations<T> operations;
  private final PromiseInternal<Void> finished;
  private final Future<Void> done;
  /** The waiter an operation makes when it must wait; made by these, which allocate nothing else. */
  private final LastWaiter waiting = new LastWaiter();
  private final Supplier<PromiseWaiter<Void>> newPutter = () -> new PromiseWaiter<>();
  private final Supplier<PromiseWaiter<T>> newTaker = () -> new PromiseWaiter<>();

  public LocalChannel(Context context, String name, int capacity) {
    this(context, name, capacity, false);
  }

  /**
   * @param closeWhenDetached whether it closes when its last attached producer detaches ({@link
   *     #attach})
   */
  public LocalChannel(Context context, String name, int capacity, boolean closeWhenDetached) {
    this.context = (ContextInternal) Objects.requireNonNull(context, "context");
    this.home = this.context.unwrap();
    this.finished = this.context.promise();
    // told like a served waiter: after the waiters that the finishing operation served
    this.state = new ChannelState<>(name, capacity, closeWhenDetached,
        ChannelObserver.whenFinished(() -> this.context.runOnContext(v -> finished.complete())));
    this.operations = new ChannelOperations<>(state, new ContextTimers(this.context), ChannelOperations.Limits.NONE);
    this.done = this.context.succeededFuture();
  }

  @Override
  public String name() {
    return state.name();
  }

  @Override
  public Future<Void> put(T item) {
    // put(item, NO_DEADLINE) written out: one call less on the hot path, whose depth decides what
    // the JIT inlines (at its default MaxInlineLevel of 15, one more level cost 20 % in JMH)
    if (item == null) {
      return nullItem();
    }
    return isOnChannelContext() ? putHere(item, NO_DEADLINE) : dispatch(() -> putHere(item, NO_DEADLINE));
  }

  @Override
  public Future<Void> put(T item, Duration timeout) {
    long timeoutMs = ChannelOperations.toMillis(timeout);
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
    return onChannelContext(() -> new LocalBatchPut(batch).started());
  }

  @Override
  public Future<Void> putWithKey(String key, T item) {
    String invalid = IdempotencyKeys.invalid(key);
    if (invalid != null) {
      return Future.failedFuture(new IllegalArgumentException("channel '" + name() + "': " + invalid));
    }
    if (item == null) {
      return nullItem();
    }
    return onChannelContext(() -> once(key, () -> putHere(item, NO_DEADLINE).map(1)).mapEmpty());
  }

  @Override
  public Future<Integer> putAllWithKey(String key, List<T> items) {
    String invalid = IdempotencyKeys.invalid(key);
    if (invalid != null) {
      return Future.failedFuture(new IllegalArgumentException("channel '" + name() + "': " + invalid));
    }
    List<T> batch;
    try {
      batch = List.copyOf(items);
    } catch (NullPointerException nullItem) {
      return nullItem();
    }
    return onChannelContext(() -> once(key, () -> new LocalBatchPut(batch).started()));
  }

  /** Runs a put with an idempotency key, unless the key is remembered; on the channel's context. */
  private Future<Integer> once(String key, Supplier<Future<Integer>> put) {
    if (keys == null) {
      keys = new IdempotencyKeys(IdempotencyKeys.DEFAULT_WINDOW, IdempotencyKeys.FORGETFUL);
    }
    int enqueued = keys.enqueuedBy(key);
    if (enqueued >= 0) {
      return context.succeededFuture(enqueued);
    }
    if (keys.isWaiting(key)) {
      return context.failedFuture(new ChannelConflictException("channel '" + name() + "': a put with idempotency key '"
          + key + "' is still waiting for room; this repeat of it enqueued nothing"));
    }
    keys.waiting(key);
    return put.get().andThen(done -> keys.done(key, done.succeeded() ? done.result() : 0));
  }

  @Override
  public Future<T> take() {
    // take(NO_DEADLINE) written out, as put's
    return isOnChannelContext() ? takeHere(NO_DEADLINE) : dispatch(() -> takeHere(NO_DEADLINE));
  }

  @Override
  public Future<T> take(Duration timeout) {
    long timeoutMs = ChannelOperations.toMillis(timeout);
    return timeoutMs < 0 ? invalidTimeout(timeout) : take(timeoutMs);
  }

  @Override
  public Future<List<T>> take(int max) {
    if (max < 1) {
      return callerContext().failedFuture(new IllegalArgumentException(state.details().invalidMax(max)));
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

  /**
   * {@inheritDoc}
   *
   * <p>In process a producer has no lease: it stays attached until its {@link ChannelProducer#close()}.
   */
  @Override
  public Future<ChannelProducer> attach() {
    return onChannelContext(() -> {
      Outcome outcome = operations.attach();
      return outcome == Outcome.DONE ? context.succeededFuture(new LocalProducer(this)) : failed(outcome, "attach", 0);
    });
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

  /** A completed future on the channel's context. */
  Future<Void> done() {
    return done;
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
    Outcome outcome = operations.put(item, true, timeoutMs, newPutter);
    if (outcome == Outcome.DONE) { // the hot path: no switch table to load
      return done;
    }
    return outcome == Outcome.WAITS ? waiting.<Void>take() : failed(outcome, "put", timeoutMs);
  }

  private Future<T> takeHere(long timeoutMs) {
    T item = state.poll();
    if (item != null) {
      return context.succeededFuture(item);
    }
    Outcome outcome = operations.awaitItem(true, timeoutMs, newTaker);
    return outcome == Outcome.WAITS ? waiting.<T>take() : failed(outcome, "take", timeoutMs);
  }

  private Future<Void> offerHere(T item) {
    Outcome outcome = operations.put(item, false, 0, newPutter);
    return outcome == Outcome.DONE ? done : failed(outcome, "offer", 0);
  }

  private Future<T> pollHere() {
    T item = state.poll();
    if (item != null) {
      return context.succeededFuture(item);
    }
    return failed(operations.awaitItem(false, 0, newTaker), "poll", 0);
  }

  /** A failure made now, as the exception the in-process API throws. */
  private <R> Future<R> failed(Outcome outcome, String operation, long timeoutMs) {
    return context.failedFuture(Failure.of(outcome).exception(operations.detail(outcome, operation, timeoutMs)));
  }

  /**
   * Runs {@code operation} on the channel's context and hands its outcome to the caller's context.
   * On the channel's own context this is a plain call: the hot path dispatches nothing.
   */
  <R> Future<R> onChannelContext(Supplier<Future<R>> operation) {
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
    return callerContext().failedFuture(new NullPointerException(state.details().nullItem()));
  }

  private <R> Future<R> invalidTimeout(Duration timeout) {
    return callerContext().failedFuture(new IllegalArgumentException(state.details().invalidTimeout(timeout)));
  }

  /** The context a rejection answers on: the caller's, as for every other outcome. */
  private ContextInternal callerContext() {
    ContextInternal caller = ContextInternal.current();
    return caller != null ? caller : context;
  }

  /** A batch put of this channel: it completes with how many went in, or fails if none did. */
  private final class LocalBatchPut extends BatchPut<T> {

    private final PromiseInternal<Integer> promise = context.promise();

    LocalBatchPut(List<T> items) {
      super(operations, items, ChannelOperations.NO_DEADLINE);
    }

    Future<Integer> started() {
      start();
      return promise.future();
    }

    @Override
    protected void completed(int enqueued) {
      promise.complete(enqueued);
    }

    @Override
    protected void stopped(int enqueued, Outcome why, String detail) {
      if (enqueued == 0) {
        promise.fail(Failure.of(why).exception(detail));
      } else {
        promise.complete(enqueued);
      }
    }

    // told like any served waiter: in a later turn; the batch then goes on from there
    @Override
    protected void later(Runnable next) {
      context.runOnContext(v -> next.run());
    }
  }

  /**
   * A waiting put or take whose outcome completes a promise. Served by another operation, its
   * outcome is dispatched, not delivered inside that operation (Go readies a woken goroutine,
   * Kotlin dispatches a resumed coroutine): the serving caller runs on, so a consumer draining a
   * full channel and the producer refilling it each proceed in batches rather than alternating item
   * by item. Dispatches keep the order of service (FIFO).
   */
  private final class PromiseWaiter<R> extends DeadlineWaiter<R> {

    private final PromiseInternal<R> promise = context.promise();

    PromiseWaiter() {
      waiting.made = this;
    }

    @Override
    protected void succeeded(R result) {
      context.runOnContext(v -> promise.complete(result));
    }

    @Override
    protected void failed(Outcome outcome, String detail) {
      context.runOnContext(v -> promise.fail(Failure.of(outcome).exception(detail)));
    }
  }

  /** The waiter the last operation made when it had to wait (confined to the channel's context). */
  private final class LastWaiter {

    private PromiseWaiter<?> made;

    @SuppressWarnings("unchecked")
    <R> Future<R> take() {
      PromiseWaiter<R> waiter = (PromiseWaiter<R>) made;
      made = null;
      return waiter.promise.future();
    }
  }
}
