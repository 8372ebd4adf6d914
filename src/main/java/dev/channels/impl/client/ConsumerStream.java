package dev.channels.impl.client;

import dev.channels.AckMode;
import dev.channels.ChannelTimeoutException;
import dev.channels.Delivered;
import dev.channels.RejectItemException;
import dev.channels.RetryItemLaterException;
import dev.channels.impl.core.DeadLetter;
import dev.channels.impl.client.UnansweredPushes.Push;
import dev.channels.impl.protocol.DeliveriesHeader;
import dev.channels.impl.protocol.Items;
import dev.channels.impl.protocol.Protocol;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Function;

/**
 * A remote channel's stream of deliveries over the streaming-consumer protocol (docs/protocol.md,
 * "Streaming consumers"): the host pushes items to it while it has credit, and each push is
 * answered once all its items are settled ({@link AckMode}): acknowledged, or given back, or
 * dead-lettered. {@link ConsumerRegistration} keeps it registered; this class handles demand,
 * delivery, settlement and credit.
 *
 * <p>Credit is what the stream can hold: the host's credit plus the items in hand (pushed and not
 * yet done: buffered, or being processed) never exceed {@code prefetch}, nor the demand. An item is
 * done when the handler has returned, or the processor's future has completed; so {@link #consume}
 * never has more than {@code prefetch} items in processing, whatever the ack mode.
 *
 * <p>Demand is real, and a stream without demand holds nothing: when it pauses, or stops ({@code
 * handler(null)}), every pushed item not yet handed out goes back to the host at once, released
 * (a delivery that does not count), and it grants no credit until it has demand again. So nothing
 * it was pushed reaches its handler twice, and nothing waits on a paused stream for the ack deadline.
 *
 * <p>Confined to the context it was created on; every handler is called there.
 *
 * @param <T> the item type
 */
final class ConsumerStream<T> implements ReadStream<Delivered<T>>, ConsumerRegistration.Stream {

  private final ContextInternal context;
  private final String where;
  private final Function<Object, T> decode;
  private final int prefetch;
  private final AckMode ackMode;
  private final ConsumerRegistration registration;
  private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
  private final UnansweredPushes pushes = new UnansweredPushes(this::creditToGrant);
  /** Handed out and not done: what goes back, failed, if the verticle goes away (acknowledging after processing). */
  private final Set<Pending> processingItems = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Succeeds when the stream ends, fails when it cannot go on. */
  private final Promise<Void> outcome;

  private Function<Delivered<T>, Future<?>> processor;
  /** Whether the processor is a handler: its item is done when it returns. */
  private boolean synchronous;
  private boolean stopWhenAnItemIsLost;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  /** Items pushed and not yet done: buffered, or handed out and still being processed. */
  private int inHand;
  /** Handed out and still being processed (their future not completed). */
  private int processing;
  /** Credit granted and items pushed since the latest registration: the host's credit is the difference. */
  private long granted;
  private long pushed;
  private boolean delivering;
  private boolean stopped;
  private boolean ended;

  /**
   * @param decode turns an item as pushed into a {@code T}; an item it throws for is dead-lettered
   * @param requestTimeoutMs how long to wait for the host's answer to consume, credit and cancel
   * @param unavailableTimeoutMs how long to go on registering while the host is not serving the channel
   */
  ConsumerStream(ContextInternal context, String registryAddress, String channelAddress, String channelName,
      KnownState known, Function<Object, T> decode, int prefetch, AckMode ackMode, long requestTimeoutMs,
      long unavailableTimeoutMs) {
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1, not " + prefetch);
    }
    this.context = context;
    this.where = "channel '" + channelName + "'";
    this.decode = decode;
    this.prefetch = prefetch;
    this.ackMode = ackMode;
    this.outcome = context.promise();
    this.registration = new ConsumerRegistration(context, registryAddress, channelAddress, channelName, known,
        requestTimeoutMs, unavailableTimeoutMs, this, this::stopNow);
  }

  @Override
  public ConsumerStream<T> exceptionHandler(Handler<Throwable> handler) {
    onContext(() -> exceptionHandler = handler);
    return this;
  }

  @Override
  public ConsumerStream<T> handler(Handler<Delivered<T>> handler) {
    if (handler == null) {
      return process(null, true);
    }
    return process(delivered -> {
      handler.handle(delivered);
      return null;
    }, true);
  }

  @Override
  public ConsumerStream<T> pause() {
    onContext(() -> {
      demand = 0;
      release();
    });
    return this;
  }

  @Override
  public ConsumerStream<T> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ConsumerStream<T> fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("fetch amount must be >= 0, not " + amount);
    }
    onContext(() -> {
      demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
      deliver();
    });
    return this;
  }

  @Override
  public ConsumerStream<T> endHandler(Handler<Void> handler) {
    onContext(() -> endHandler = handler);
    return this;
  }

  /**
   * Processes every item with {@code processor}, at most {@code prefetch} at once, until the channel
   * ends (see {@link dev.channels.Channel#consume}): completes then, or fails when consuming cannot go
   * on (the channel was deleted, does not exist, or stayed unavailable too long), or, acknowledging
   * on delivery, when an item fails (it cannot go back).
   */
  Future<Void> consume(Function<Delivered<T>, Future<?>> processor) {
    onContext(() -> stopWhenAnItemIsLost = true);
    process(processor, false);
    return outcome.future();
  }

  /** The private address the host pushes to. */
  String address() {
    return registration.address();
  }

  /** Sets the processor; {@code null} stops the stream (the host gets back what it did not hand out). */
  private ConsumerStream<T> process(Function<Delivered<T>, Future<?>> processor, boolean synchronous) {
    onContext(() -> {
      if (stopped || ended) {
        return;
      }
      this.processor = processor;
      this.synchronous = synchronous;
      if (processor == null) {
        stop();
      } else if (!registration.isStarted()) {
        registration.start();
      } else {
        deliver();
      }
    });
    return this;
  }

  // what the registration tells

  @Override
  public void pushed(Message<Object> message) {
    JsonArray items = (JsonArray) message.body();
    int size = items.size();
    pushed += size;
    inHand += size;
    Push push = pushes.received(message, size);
    int[] deliveries = DeliveriesHeader.read(message.headers().get(Protocol.DELIVERIES), size);
    MultiMap headers = size == 1 ? message.headers() : MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < size; i++) {
      buffer.add(new Pending(push, i, Items.element(items, i), deliveries[i], headers));
    }
    deliver();
  }

  @Override
  public long registering() {
    granted = Math.max(0, target() - inHand);
    pushed = 0;
    return granted;
  }

  @Override
  public void registered() {
    grantIfDue(); // what demand came while the registration was on its way
  }

  @Override
  public void expired() {
    pushes.expireAll();
    inHand -= buffer.size();
    buffer.clear();
    report(new ChannelTimeoutException(where + ": the host took back the items this stream had not answered within"
        + " its ack deadline (too slow to process them); consuming again"));
  }

  @Override
  public void ended() {
    if (ended) {
      return;
    }
    ended = true;
    if (processing == 0) {
      outcome.tryComplete();
    }
    Handler<Void> handler = endHandler;
    if (handler != null) {
      handler.handle(null);
    }
  }

  @Override
  public void failed(Throwable cause) {
    if (stopped || ended) {
      return;
    }
    ended = true;
    release();
    outcome.tryFail(cause);
    report(cause);
  }

  // demand, delivery, settlement, credit

  /** Hands buffered items out while there is demand; without demand, gives them back. */
  private void deliver() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (demand > 0 && processor != null && !buffer.isEmpty()) {
        Pending next = buffer.poll();
        if (next.push().expired()) {
          inHand--;
          continue;
        }
        T item;
        try {
          item = decode.apply(next.body());
        } catch (RuntimeException unmappable) {
          inHand--;
          next.push().reject(next.index(), DeadLetter.UNMAPPABLE, unmappable.getMessage());
          report(new IllegalStateException(where + ": an item went to the dead-letter channel: " + unmappable.getMessage(),
              unmappable));
          continue;
        }
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handOut(next, new Delivered<>(item, next.deliveries(), next.headers()));
      }
      if (demand == 0 || processor == null) {
        release();
      }
    } finally {
      delivering = false;
    }
    grantIfDue();
  }

  private void handOut(Pending pending, Delivered<T> delivered) {
    if (synchronous) {
      inHand--; // done when the handler returns, on this thread: the host cannot push before that
    }
    if (ackMode == AckMode.ON_DELIVERY) {
      // acknowledged before the application sees it, so whatever the handler sends comes after
      pending.push().acknowledge(pending.index());
    }
    processing++;
    Future<?> processed;
    try {
      processed = processor.apply(delivered);
    } catch (RuntimeException failure) {
      processed = Future.failedFuture(failure);
    }
    if (processed == null || processed.isComplete()) {
      done(pending, processed == null ? Future.succeededFuture() : processed); // the common case, at once
    } else {
      processingItems.add(pending);
      processed.onComplete(outcome -> {
        processingItems.remove(pending);
        done(pending, outcome);
      });
    }
  }

  /** The item's processing completed: settles it (acknowledging after processing), and frees its credit. */
  private void done(Pending pending, AsyncResult<?> outcome) {
    processing--;
    if (!synchronous) {
      inHand--;
    }
    if (ackMode == AckMode.AFTER_PROCESSING) {
      settle(pending, outcome);
    }
    if (outcome.failed()) {
      processingFailed(outcome.cause());
    }
    if (ended && processing == 0) {
      this.outcome.tryComplete(); // the end came while the last items were processed
    }
    if (stopped) {
      cancelWhenAnswered();
    } else if (!delivering) {
      grantIfDue();
    }
  }

  private void settle(Pending pending, AsyncResult<?> outcome) {
    Push push = pending.push();
    int index = pending.index();
    if (outcome.succeeded()) {
      push.acknowledge(index);
    } else if (outcome.cause() instanceof RejectItemException rejected) {
      push.reject(index, DeadLetter.REJECTED, rejected.getMessage());
    } else if (outcome.cause() instanceof RetryItemLaterException later) {
      push.delay(index, later.delay().toMillis());
    } else {
      push.nack(index);
    }
  }

  /**
   * Reports a failed item. Under {@link #consume}, an item that cannot go back (acknowledged on
   * delivery) stops the consumption, which fails with that cause.
   */
  private void processingFailed(Throwable cause) {
    if (stopWhenAnItemIsLost && ackMode == AckMode.ON_DELIVERY && !stopped) {
      stop();
      outcome.tryFail(cause);
    }
    report(cause);
  }

  /** Gives back every buffered item: it never reached the application. */
  private void release() {
    Pending next;
    while ((next = buffer.poll()) != null) {
      inHand--;
      next.push().release(next.index());
    }
  }

  /** What the stream can hold now: its prefetch, at most its demand, nothing once stopped. */
  private long target() {
    return stopped || ended || processor == null ? 0 : Math.min(prefetch, demand);
  }

  /** The credit to grant in an answer now; counted as granted. */
  private long creditToGrant() {
    long credit = Math.max(0, target() - inHand - (granted - pushed));
    granted += credit;
    return credit;
  }

  /**
   * Grants credit on its own when it is due: the host has none left (it would push nothing more),
   * or half the prefetch is owed. Otherwise it rides on the next answer.
   */
  private void grantIfDue() {
    if (!registration.isRegistered()) {
      return;
    }
    long hostCredit = granted - pushed;
    long owed = target() - inHand - hostCredit;
    if (owed > 0 && (hostCredit <= 0 || owed >= Math.max(1, prefetch / 2))) {
      granted += owed;
      registration.grant(owed);
    }
  }

  /** Stops: buffered items go back, and the host is told once the items being processed are settled. */
  private void stop() {
    if (stopped || ended) {
      return;
    }
    stopped = true;
    processor = null;
    release();
    cancelWhenAnswered();
  }

  /** Cancels once every push is answered, so that the host gives nothing back that was settled. */
  private void cancelWhenAnswered() {
    if (pushes.isEmpty()) {
      registration.cancel();
    }
  }

  /**
   * Its context closes (its verticle is undeployed): stops at once. What it never handed out goes
   * back released; acknowledging after processing, what it is still processing goes back as failed
   * (its verticle went away with it: it counts, as any delivery that never succeeded).
   */
  private Future<Void> stopNow() {
    if (!stopped && !ended) {
      stopped = true;
      processor = null;
      release();
    }
    if (ackMode == AckMode.AFTER_PROCESSING) {
      processingItems.forEach(item -> item.push().nack(item.index()));
    }
    return registration.cancel();
  }

  private void report(Throwable failure) {
    Handler<Throwable> handler = exceptionHandler;
    if (handler != null) {
      handler.handle(failure);
    }
  }

  private void onContext(Runnable action) {
    ContextInternal current = ContextInternal.current();
    if (current != null && current.unwrap() == context.unwrap()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** The item at {@code index} of {@code push}, buffered until there is demand; settled through its push. */
  private record Pending(Push push, int index, Object body, int deliveries, MultiMap headers) {
  }
}
