package dev.channels.client;

import dev.channels.AckMode;
import dev.channels.ChannelClosedException;
import dev.channels.ChannelTimeoutException;
import dev.channels.client.UnansweredPushes.Push;
import dev.channels.protocol.Action;
import dev.channels.protocol.Items;
import dev.channels.protocol.Protocol;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.function.Function;

/**
 * A remote channel's {@link ReadStream} over the streaming-consumer protocol: it registers a private
 * address with the host, which pushes items to it while it has credit (a window of
 * {@code prefetch} items, pushed or being processed); each push is answered, acknowledging its
 * items and granting their credit again, once all of them are handled (see {@link AckMode}).
 *
 * <p>Demand is real: items pushed beyond the demand wait here, unacknowledged, and hold their
 * credit, so a paused stream stops the host after at most {@code prefetch} items. Items held longer
 * than the host's ack deadline go back to the channel and the stream registers again. The stream
 * ends when the channel finishes; a deleted channel is reported to the exception handler. An
 * undeployed verticle's stream cancels itself, and the host gives its unacknowledged items to
 * other takers.
 *
 * <p>Confined to the context it was created on; every handler is called there.
 *
 * @param <T> the item type
 */
final class ConsumerStream<T> implements ReadStream<T> {

  private final ContextInternal context;
  private final String channelAddress;
  private final String where;
  private final Function<Object, T> decode;
  private final int prefetch;
  private final AckMode acknowledge;
  private final long requestTimeoutMs;
  private final String address = "__vertx-channels.consumer." + UUID.randomUUID();
  private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
  private final UnansweredPushes pushes = new UnansweredPushes(() -> this.ended);
  private final Closeable cancelOnClose = this::cancelOnClose;

  /** Succeeds when the stream ends, fails when it cannot go on. */
  private final Promise<Void> outcome;
  private boolean stopWhenAnItemIsLost;
  /** Items handed to the processor whose future has not completed. */
  private int processing;
  private Function<T, Future<?>> processor;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private MessageConsumer<Object> consumer;
  private long demand = Long.MAX_VALUE;
  private boolean delivering;
  private boolean registered;
  private boolean ended;

  /**
   * @param channelAddress the channel's address at the host
   * @param decode turns an item as pushed into a {@code T} (may throw: the item then goes back)
   * @param requestTimeoutMs how long to wait for the host's answer to consume and cancel
   */
  ConsumerStream(ContextInternal context, String channelAddress, String channelName,
                        Function<Object, T> decode, int prefetch, AckMode acknowledge, long requestTimeoutMs) {
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1, not " + prefetch);
    }
    this.context = context;
    this.channelAddress = channelAddress;
    this.where = "channel '" + channelName + "'";
    this.decode = decode;
    this.prefetch = prefetch;
    this.acknowledge = acknowledge;
    this.requestTimeoutMs = requestTimeoutMs;
    this.outcome = context.promise();
  }

  @Override
  public ConsumerStream<T> exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  @Override
  public ConsumerStream<T> handler(Handler<T> handler) {
    if (handler == null) {
      return process(null);
    }
    return process((T item) -> {
      handler.handle(item);
      return context.succeededFuture();
    });
  }

  /**
   * Like {@link #handler}, for asynchronous processing: with {@link AckMode#AFTER_PROCESSING}
   * an item is acknowledged when its future succeeds and given back when it fails. At most {@code
   * prefetch} items are processed at once. {@code null} stops the stream (the host gives its
   * unacknowledged items to others).
   */
  ConsumerStream<T> process(Function<T, Future<?>> processor) {
    onContext(() -> {
      this.processor = processor;
      if (processor == null) {
        stop();
      } else if (consumer == null && !ended) {
        start();
      } else {
        deliver();
      }
    });
    return this;
  }

  @Override
  public ConsumerStream<T> pause() {
    onContext(() -> demand = 0);
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
    endHandler = handler;
    return this;
  }

  /**
   * Processes every item with {@code processor} until the channel ends (see {@link
   * dev.channels.Channel#consume}): completes then, or fails when consuming cannot go on (the
   * channel was deleted or does not exist), or when an item acknowledged on delivery fails.
   */
  Future<Void> consume(Function<T, Future<?>> processor) {
    stopWhenAnItemIsLost = true;
    process(processor);
    return outcome.future();
  }

  /** The private address the host pushes to. */
  String address() {
    return address;
  }

  private void start() {
    consumer = context.owner().eventBus().consumer(address, this::received);
    context.addCloseHook(cancelOnClose);
    consumer.completion()
        .compose(v -> register())
        .onFailure(this::failed);
  }

  private Future<Void> register() {
    JsonObject body = new JsonObject().put("address", address).put("credit", prefetch);
    return request(Action.CONSUME, body).map(reply -> {
      registered = true;
      if (((JsonObject) reply.body()).getBoolean("finished", false)) {
        end();
      }
      return null;
    });
  }

  private void received(Message<Object> message) {
    if (message.replyAddress() != null) { // a push is a request; an item may carry an 'event' header
      pushed(message);
      return;
    }
    String event = message.headers().get(Protocol.EVENT);
    if (event == null) {
      return;
    } else if (event.equals(Protocol.EVENT_END)) {
      end();
    } else if (event.equals(Protocol.EVENT_EXPIRED)) {
      expired();
    } else if (event.equals(Protocol.EVENT_DELETED)) {
      stop();
      ChannelClosedException deleted = new ChannelClosedException(where + " was deleted");
      outcome.tryFail(deleted);
      report(deleted);
    }
  }

  private void pushed(Message<Object> message) {
    if (ended || processor == null) {
      message.fail(410, "the stream has stopped"); // not ours to keep: they go back at once
      return;
    }
    JsonArray items = (JsonArray) message.body();
    Push push = pushes.received(message, items.size());
    for (int i = 0; i < items.size(); i++) {
      buffer.add(new Pending(push, i, Items.element(items, i)));
    }
    deliver();
  }

  /** Hands buffered items to the processor while there is demand. */
  private void deliver() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (demand > 0 && processor != null && !buffer.isEmpty()) {
        Pending next = buffer.poll();
        if (next.push().expired()) {
          continue;
        }
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        if (acknowledge == AckMode.ON_DELIVERY) {
          // acknowledged before the handler sees it, so whatever the handler sends comes after
          next.push().settled(next.index(), true);
          if (demand == 0) {
            answerPartlyDeliveredPush();
          }
        }
        handOut(next);
      }
    } finally {
      delivering = false;
    }
  }

  /**
   * Out of demand midway through a push: its delivered items are acknowledged now rather than
   * when the stream resumes (perhaps past the ack deadline), and its other items go back to the
   * host, which may push them again.
   */
  private void answerPartlyDeliveredPush() {
    Pending head = buffer.peek();
    if (head == null || !head.push().anySettled()) {
      return;
    }
    Push push = head.push();
    while (!buffer.isEmpty() && buffer.peek().push() == push) {
      push.nack(buffer.poll().index());
    }
    push.answer();
  }

  private void handOut(Pending pending) {
    Future<?> processed;
    try {
      processed = processor.apply(decode.apply(pending.body()));
    } catch (RuntimeException failure) {
      processed = context.failedFuture(failure);
    }
    processing++;
    processed.onComplete(done -> {
      if (--processing == 0 && ended) {
        outcome.tryComplete(); // the end came while the last items were processed
      }
      if (acknowledge == AckMode.AFTER_PROCESSING) {
        pending.push().settled(pending.index(), done.succeeded()); // a failure gives the item back
      }
      if (done.failed()) {
        processingFailed(done.cause());
      }
    });
  }

  /**
   * Reports a failed item. Under {@link #consume}, an item that cannot go back (acknowledged on
   * delivery) stops the consumption, which fails with that cause.
   */
  private void processingFailed(Throwable cause) {
    if (stopWhenAnItemIsLost && acknowledge == AckMode.ON_DELIVERY) {
      stop();
      outcome.tryFail(cause);
    }
    report(cause);
  }

  /** The host gave our unanswered pushes back: drop what is still buffered, and register again. */
  private void expired() {
    if (ended || consumer == null) {
      return;
    }
    pushes.expireAll();
    buffer.clear();
    report(new ChannelTimeoutException(where + ": items held longer than the host's ack deadline went back"
        + " to the channel; consuming again"));
    if (registered) {
      registered = false;
      register().onFailure(this::failed);
    }
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    unregister();
    if (processing == 0) {
      outcome.tryComplete();
    }
    Handler<Void> handler = endHandler;
    if (handler != null) {
      handler.handle(null);
    }
  }

  /** Stops consuming: the host gives back what was pushed and not yet acknowledged. */
  private void stop() {
    if (consumer == null || ended) {
      return;
    }
    ended = true;
    buffer.clear();
    if (registered) {
      request(Action.CANCEL, new JsonObject().put("address", address));
    }
    unregister();
  }

  private void unregister() {
    context.removeCloseHook(cancelOnClose);
    if (consumer != null) {
      consumer.unregister();
    }
  }

  private void cancelOnClose(Completable<Void> completion) {
    if (registered && !ended) {
      ended = true;
      request(Action.CANCEL, new JsonObject().put("address", address));
    }
    completion.succeed();
  }

  private void failed(Throwable failure) {
    ended = true;
    unregister();
    Throwable cause = RemoteFailures.of(failure, where, channelAddress, "consume", requestTimeoutMs);
    outcome.tryFail(cause);
    report(cause);
  }

  private void report(Throwable failure) {
    Handler<Throwable> handler = exceptionHandler;
    if (handler != null) {
      handler.handle(failure);
    }
  }

  private Future<Message<Object>> request(Action action, JsonObject body) {
    DeliveryOptions options = new DeliveryOptions().addHeader(Protocol.ACTION, action.wireName())
        .setSendTimeout(requestTimeoutMs);
    return context.owner().eventBus().request(channelAddress, body, options);
  }

  private void onContext(Runnable action) {
    if (ContextInternal.current() != null && ContextInternal.current().unwrap() == context.unwrap()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** The item at {@code index} of {@code push}, buffered until there is demand; settled through its push. */
  private record Pending(Push push, int index, Object body) {
  }
}
