package dev.channels;

import dev.channels.impl.streams.ChannelWriteStream;
import dev.channels.impl.local.LocalChannel;
import dev.channels.impl.streams.MappedReadStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A closable FIFO channel: producers {@link #put} items, consumers {@link #take} them, anybody may
 * {@link #close} it, and {@link #join} completes exactly once, when it is closed <em>and</em>
 * drained. Once it has completed, every item that could ever appear has been taken.
 *
 * <p>Every operation is non-blocking and returns a {@link Future}. An in-process channel
 * ({@link #create(Vertx, String, int)}) lives on one Vert.x context; calls from other threads or
 * contexts are dispatched onto it, and their futures complete on the caller's context.
 *
 * <p>Ordering: items leave in the order they entered; waiting putters and takers are served oldest
 * first, and an item or slot freed while others wait goes to the oldest of them (no barging). The
 * hand-over itself happens within the operation that frees the item or slot; the waiter's future
 * completes in a later turn of the context (as Go readies a woken goroutine rather than running it
 * inside the send that woke it).
 *
 * <pre>{@code
 * Channel<String> jobs = Channel.create(vertx, "jobs", 100);
 * jobs.put("a").compose(v -> jobs.put("b")).compose(v -> jobs.close());
 * jobs.stream().handler(job -> process(job)).endHandler(v -> System.out.println("all taken"));
 * jobs.join().onSuccess(v -> System.out.println("closed and drained"));
 * }</pre>
 *
 * @param <T> the item type; {@code null} items are rejected
 */
public interface Channel<T> {

  /** The capacity of an unbounded channel: puts never wait. */
  int UNBOUNDED = Integer.MAX_VALUE;

  /**
   * Creates an in-process channel on the caller's context (or a new one from a non-Vert.x thread).
   *
   * @param capacity a bound {@code > 0}, {@code 0} for a rendezvous channel (a put completes only
   *     when a taker has received its item), or {@link #UNBOUNDED}
   * @throws IllegalArgumentException if capacity is negative
   */
  static <T> Channel<T> create(Vertx vertx, String name, int capacity) {
    return new LocalChannel<>(vertx.getOrCreateContext(), name, capacity);
  }

  /**
   * Creates an in-process channel with {@code options}' capacity and {@code closeWhenDetached}
   * (the options of a host's channel, {@code maxDeliveries} and {@code deadLetter}, do not apply in
   * process); see {@link #create(Vertx, String, int)}.
   */
  static <T> Channel<T> create(Vertx vertx, String name, ChannelOptions options) {
    return new LocalChannel<>(vertx.getOrCreateContext(), name, options.getCapacity(),
        Boolean.TRUE.equals(options.getCloseWhenDetached()));
  }

  /** Creates an unbounded in-process channel; see {@link #create(Vertx, String, int)}. */
  static <T> Channel<T> unbounded(Vertx vertx, String name) {
    return create(vertx, name, UNBOUNDED);
  }

  String name();

  /**
   * Puts an item, waiting while the channel is full.
   *
   * <ul>
   *   <li>Completes once the item is in the buffer (capacity 0: once a taker has received it).
   *   <li>On close: fails {@link ChannelClosedException}, at once if already closed (closed beats
   *       full) or when close happens while it waits; the item is then not enqueued.
   *   <li>A {@code null} item fails {@link NullPointerException} and changes nothing.
   * </ul>
   */
  Future<Void> put(T item);

  /**
   * As {@link #put(Object)}, but gives up after {@code timeout} with {@link
   * ChannelTimeoutException}; the item is then not enqueued and the waiter leaves no trace. {@link
   * Duration#ZERO} means do not wait.
   */
  Future<Void> put(T item, Duration timeout);

  /**
   * Puts without waiting: fails {@link ChannelFullException} when there is no room (capacity 0: no
   * waiting taker), {@link ChannelClosedException} when closed (closed beats full). Nothing is
   * enqueued on failure.
   */
  Future<Void> offer(T item);

  /**
   * Puts every item of {@code items}, in order, waiting for room as needed: each item is admitted
   * like a {@link #put}, and other putters may interleave between them but never reorder them.
   *
   * <ul>
   *   <li>Completes with {@code items.size()} once every item is in the buffer.
   *   <li>On close: fails {@link ChannelClosedException} if the channel is closed before any item
   *       was enqueued; if it closes after some were, completes with how many were (the rest are
   *       not enqueued and stay the caller's).
   *   <li>A {@code null} list or item fails {@link NullPointerException} and changes nothing.
   * </ul>
   */
  Future<Integer> putAll(List<T> items);

  /**
   * As {@link #put(Object)}, with an idempotency key its producer chose: if the channel remembers
   * {@code key} from an earlier put or put-all, this one completes as that one did and enqueues
   * nothing. Meant for a producer that sends a put again without knowing whether the first went in
   * (its answer was lost, say in a failover of a replicated channel).
   *
   * <ul>
   *   <li>The channel remembers the keys of the last {@value
   *       dev.channels.impl.core.IdempotencyKeys#DEFAULT_WINDOW} puts that enqueued something
   *       (replicated with the channel, if it is); an older key is forgotten, and a put repeating it
   *       enqueues again.
   *   <li>While a put with the key waits for room, a repeat fails {@link ChannelConflictException}
   *       and enqueues nothing.
   *   <li>On close, on full, on timeout: as {@link #put(Object)}; a put that failed enqueued
   *       nothing, and its key is not remembered.
   *   <li>A {@code null} or empty key, or one longer than 256 characters, fails {@link
   *       IllegalArgumentException} and changes nothing.
   * </ul>
   *
   * A remote client also numbers every put on its own, so that a put it sends again to a replicated
   * channel's new owner after a failover is never enqueued twice: a key is needed only for the
   * producer's own retries.
   */
  Future<Void> putWithKey(String key, T item);

  /**
   * As {@link #putAll(List)}, with an idempotency key (see {@link #putWithKey}): a repeat completes
   * with the count the first put-all with {@code key} enqueued, and enqueues nothing.
   */
  Future<Integer> putAllWithKey(String key, List<T> items);

  /**
   * Takes the oldest item, waiting while the channel is empty.
   *
   * <ul>
   *   <li>On close: buffered items stay takeable; once none is left it fails {@link
   *       ChannelClosedException} (so do takes that wait when close happens).
   *   <li>If putters wait on a full channel, the oldest putter's item is admitted into the freed
   *       slot within the same step.
   * </ul>
   */
  Future<T> take();

  /**
   * As {@link #take()}, but gives up after {@code timeout} with {@link ChannelTimeoutException};
   * nothing is removed and the waiter leaves no trace. {@link Duration#ZERO} means do not wait.
   */
  Future<T> take(Duration timeout);

  /**
   * Takes up to {@code max} items: waits for one as {@link #take()} does (and fails as it does),
   * then completes with it and every further item available at that moment, up to {@code max},
   * oldest first.
   *
   * @throws IllegalArgumentException (as a failed future) if {@code max < 1}
   */
  Future<List<T>> take(int max);

  /**
   * Takes without waiting: fails {@link ChannelEmptyException} when the channel is open and has no
   * item (capacity 0: no waiting putter), {@link ChannelClosedException} when closed and drained.
   */
  Future<T> poll();

  /**
   * Closes the channel: idempotent and permanent. Waiting putters fail {@link
   * ChannelClosedException} and keep their items; waiting takers fail it too; buffered items stay
   * takeable. Completes once the channel is closed.
   */
  Future<Void> close();

  /**
   * Completes once the channel is closed and drained: already complete if it is. When an operation
   * finishes the channel, waiting joins are told after the waiters that operation served (so a
   * worker's last take completes before the join). In process it never fails; a remote channel's
   * join fails if the channel is deleted first, or as any request does when its host is gone.
   */
  Future<Void> join();

  /**
   * A stream of this channel's items: the Vert.x form of "loop until the channel ends". Demand
   * (pause, resume, fetch) is real: a paused stream takes nothing. Its end handler is called when
   * the channel is finished. Each call returns a new stream; several streams share the items, each
   * item going to exactly one of them.
   */
  ReadStream<T> stream();

  /**
   * A new {@link WriteStream} that puts into this channel, so any {@code ReadStream} can {@code
   * pipeTo(channel.writeStream())}: works over every implementation of this interface.
   *
   * <ul>
   *   <li>On full: a put that waits for room stays outstanding; {@code writeQueueFull()} is true
   *       while more than {@code setWriteQueueMaxSize} (default 16) puts are outstanding, and the
   *       drain handler is called once they have fallen to half of that.
   *   <li>On close: {@code end()} closes the channel once every outstanding put has completed; a
   *       write after {@code end()} fails {@link IllegalStateException}. Puts on a channel closed by
   *       someone else fail {@link ChannelClosedException}.
   *   <li>On failure: a failed put fails its write's future and is reported to the exception
   *       handler; {@code end()} still closes the channel and then fails with that first failure.
   * </ul>
   *
   * @see ChannelWriteStream
   */
  default WriteStream<T> writeStream() {
    return new ChannelWriteStream<>(this);
  }

  /**
   * Processes every item with {@code processor}, one at a time in process, until the channel ends:
   * the Vert.x form of a worker's loop. Completes once the channel is finished and every item it
   * took has been processed.
   *
   * <ul>
   *   <li>Fails if consuming cannot go on (a remote channel deleted or not found).
   *   <li>A processor that throws or whose future fails: in process (and remotely with {@link
   *       AckMode#ON_DELIVERY}) the item cannot go back, so consume stops and fails with that
   *       cause; remotely with {@link AckMode#AFTER_PROCESSING} the item goes back to the channel
   *       to be delivered again, and consume goes on.
   * </ul>
   */
  default Future<Void> consume(Function<? super T, Future<?>> processor) {
    Promise<Void> done = Promise.promise();
    ReadStream<T> items = stream();
    // the item being processed: the end may come while it is (its take finished the channel)
    Future<?>[] processing = {Future.succeededFuture()};
    items.endHandler(v -> processing[0].onComplete(last -> done.tryComplete()));
    items.exceptionHandler(done::tryFail);
    items.handler(item -> {
      items.pause(); // one at a time: the next take waits for this item's processing
      Future<?> processed;
      try {
        processed = processor.apply(item);
      } catch (RuntimeException failure) {
        processed = Future.failedFuture(failure);
      }
      processing[0] = processed;
      processed.onComplete(outcome -> {
        if (outcome.succeeded()) {
          items.resume();
        } else {
          items.handler(null);
          done.tryFail(outcome.cause());
        }
      });
    });
    return done.future();
  }

  /**
   * As {@link #stream()}, but each item comes as a {@link Delivered}: with how many times it has
   * been handed out, and its headers. In process an item is handed out once, without headers; a
   * remote channel redelivers items that a consumer failed or never acknowledged, and marks them.
   */
  default ReadStream<Delivered<T>> deliveries() {
    return new MappedReadStream<>(stream(), Delivered::first);
  }

  /**
   * As {@link #consume}, but each item comes as a {@link Delivered} (see {@link #deliveries()}): an
   * at-least-once consumer can tell a redelivered item, and a dead-letter channel's consumer can read
   * why its items were dead-lettered.
   */
  default Future<Void> consumeDeliveries(Function<? super Delivered<T>, Future<?>> processor) {
    return consume(item -> processor.apply(Delivered.first(item)));
  }

  /**
   * Attaches a producer: a channel made to close when detached ({@link
   * ChannelOptions#setCloseWhenDetached}) closes, exactly as by {@link #close()}, once its last
   * attached producer has detached ({@link ChannelProducer#close()}); remotely also once the lease of
   * its last producer has ended unrenewed, or that producer's cluster node has left. Any channel
   * counts its attached producers ({@link ChannelStatus#producers()}).
   *
   * <ul>
   *   <li>Completes with the producer once attached; never waits (whether the channel is full does
   *       not matter).
   *   <li>On close: fails {@link ChannelClosedException} if the channel is closed, and nothing
   *       changes. A producer attached before a close stays attached until it detaches.
   *   <li>Remotely, the producer's lease is renewed on the caller's context until it is closed; see
   *       {@link ChannelProducer}.
   * </ul>
   */
  Future<ChannelProducer> attach();

  /** A snapshot of the channel's state. */
  Future<ChannelStatus> status();

  /**
   * Whether close was called. For this and the other getters, a remote channel ({@link
   * ChannelClient#channel(String)}) answers with the last state its client saw.
   */
  boolean isClosed();

  /** Whether the channel is closed and drained; once true, never false again. */
  boolean isFinished();

  /** Buffered items (exact on the channel's context, a recent value elsewhere). */
  int size();

  /**
   * The bound: {@link #UNBOUNDED}, 0 for rendezvous, or the positive capacity; for a remote channel
   * whose status has not been seen yet, {@link ChannelClient#UNKNOWN_CAPACITY}.
   */
  int capacity();
}
