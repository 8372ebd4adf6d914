package dev.channels.impl.client;

import dev.channels.Channel;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelClosedException;
import dev.channels.ChannelOverloadedException;
import dev.channels.ChannelProducer;
import dev.channels.ChannelStatus;
import dev.channels.Delivered;
import dev.channels.impl.streams.MappedReadStream;
import dev.channels.impl.core.ChannelOperations;
import dev.channels.impl.core.DeadLetter;
import dev.channels.impl.core.IdempotencyKeys;
import dev.channels.impl.protocol.Action;
import dev.channels.impl.protocol.ChannelRequest;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Items;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.Replies;
import dev.channels.impl.protocol.Settlement;
import dev.channels.impl.protocol.StatusJson;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@link Channel} served by a host, over the event bus (docs/protocol.md). Each operation is one
 * request to {@code <address>.<name>} (re-sent on 408 while it may still wait, see {@link Sender});
 * its outcome completes on the caller's context.
 *
 * <p>Takes are acknowledged takes ({@code ack: true}), acknowledged on delivery (see {@link Ride}):
 * a take or poll made while the previous one's future completes rides on its acknowledgement.
 */
final class RemoteChannel<T> implements Channel<T> {

  /** The {@code max} of a take of one item. */
  private static final int SINGLE_TAKE = 0;
  /** The index of the item of a put or offer, for {@link #encode}. */
  private static final int SINGLE_ITEM = -1;

  private final VertxInternal vertx;
  private final Sender sender;
  private final ChannelClientOptions options;
  private final String name;
  private final String address;
  private final String where;
  private final ItemCodec<T> codec;
  private final KnownState known;

  RemoteChannel(VertxInternal vertx, Sender sender, ChannelClientOptions options, String name,
      ItemCodec<T> codec, KnownState known) {
    this.vertx = vertx;
    this.sender = sender;
    this.options = options;
    this.name = name;
    this.address = Protocol.channelAddress(options.getAddress(), name);
    this.where = "channel '" + name + "'";
    this.codec = codec;
    this.known = known;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Void> put(T item) {
    return put(item, waitIndefinitely(), Action.PUT);
  }

  @Override
  public Future<Void> put(T item, Duration timeout) {
    long timeoutMs = ChannelOperations.toMillis(timeout);
    return timeoutMs < 0 ? invalidTimeout(timeout) : put(item, Wait.atMost(timeoutMs), Action.PUT);
  }

  @Override
  public Future<Void> offer(T item) {
    return put(item, Wait.never(), Action.OFFER);
  }

  @Override
  public Future<Integer> putAll(List<T> items) {
    return putAll(null, items);
  }

  @Override
  public Future<Void> putWithKey(String key, T item) {
    String invalid = IdempotencyKeys.invalid(key);
    if (invalid != null) {
      return failed(new IllegalArgumentException(where + ": " + invalid));
    }
    return put(item, waitIndefinitely(), Action.PUT, key);
  }

  @Override
  public Future<Integer> putAllWithKey(String key, List<T> items) {
    String invalid = IdempotencyKeys.invalid(key);
    if (invalid != null) {
      return failed(new IllegalArgumentException(where + ": " + invalid));
    }
    return putAll(key, items);
  }

  /** A put-all; each of its requests carries {@code key} (the one from item {@code n} on: {@code key+n}), unless null. */
  private Future<Integer> putAll(String key, List<T> items) {
    List<Object> bodies;
    try {
      List<T> copy = List.copyOf(items); // rejects a null list or item
      bodies = new ArrayList<>(copy.size());
      for (int i = 0; i < copy.size(); i++) {
        bodies.add(encode(copy.get(i), i));
      }
    } catch (NullPointerException nullItem) {
      return nullItem();
    } catch (RuntimeException refused) { // nothing is sent: the whole put-all is refused
      return failed(refused);
    }
    Promise<Integer> result = context().promise();
    putRest(bodies, 0, key, result);
    return result.future();
  }

  @Override
  public Future<T> take() {
    return takeRequest(Action.TAKE, waitIndefinitely(), SINGLE_TAKE, this::decodeOne);
  }

  @Override
  public Future<T> take(Duration timeout) {
    long timeoutMs = ChannelOperations.toMillis(timeout);
    return timeoutMs < 0 ? invalidTimeout(timeout) : takeRequest(Action.TAKE, Wait.atMost(timeoutMs), SINGLE_TAKE, this::decodeOne);
  }

  @Override
  public Future<List<T>> take(int max) {
    if (max < 1) {
      return failed(new IllegalArgumentException(where + ": max must be at least 1, not " + max));
    }
    return takeRequest(Action.TAKE, waitIndefinitely(), Math.min(max, Protocol.MAX_BATCH), this::decodeBatch);
  }

  @Override
  public Future<T> poll() {
    return takeRequest(Action.POLL, Wait.never(), SINGLE_TAKE, this::decodeOne);
  }

  @Override
  public Future<Void> close() {
    return statusRequest(Action.CLOSE, Wait.never()).mapEmpty();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Remotely it can fail: {@link ChannelClosedException} if the channel is deleted first, and
   * as any request does if the host is gone.
   */
  @Override
  public Future<Void> join() {
    return statusRequest(Action.JOIN, waitIndefinitely()).mapEmpty();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Remotely a streaming consumer (docs/protocol.md, "Streaming consumers"): the host pushes
   * items ahead of demand, up to the client's {@code prefetch}, and they are acknowledged per the
   * client's {@link dev.channels.AckMode}: when handed to the handler, or when it has returned
   * (a handler that throws gives its item back). A paused or stopped stream holds nothing: the items
   * pushed and not handed out go back to the channel at once, not counted as deliveries, so no item
   * reaches its handlers twice acknowledging on delivery. An item that cannot be mapped to the
   * channel's type goes to the dead-letter channel (reported to the exception handler). A deleted
   * channel is reported as a {@link ChannelClosedException}; while its host restarts, the stream
   * registers again until it is served (at most {@code unavailableTimeoutMs}).
   */
  @Override
  public ReadStream<T> stream() {
    return new MappedReadStream<>(newConsumer(), Delivered::item);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Remotely a streaming consumer processing up to {@code prefetch} items at once. With {@link
   * dev.channels.AckMode#AFTER_PROCESSING} an item is acknowledged when its future succeeds; a failed
   * one goes back to the channel to be delivered again (to this or another consumer; after a delay
   * with {@link dev.channels.RetryItemLaterException}), or to the dead-letter channel with {@link
   * dev.channels.RejectItemException}. With {@link dev.channels.AckMode#ON_DELIVERY} a failed item
   * cannot go back, and consume fails.
   */
  @Override
  public Future<Void> consume(Function<? super T, Future<?>> processor) {
    if (processor == null) {
      return failed(new NullPointerException(where + ": consume needs a processor"));
    }
    return newConsumer().consume(delivered -> processor.apply(delivered.item()));
  }

  /** Remotely, a streaming consumer: see {@link #stream()}. */
  @Override
  public ReadStream<Delivered<T>> deliveries() {
    return newConsumer();
  }

  /** Remotely, as {@link #consume}. */
  @Override
  public Future<Void> consumeDeliveries(Function<? super Delivered<T>, Future<?>> processor) {
    if (processor == null) {
      return failed(new NullPointerException(where + ": consumeDeliveries needs a processor"));
    }
    return newConsumer().consume(processor::apply);
  }

  private ConsumerStream<T> newConsumer() {
    return new ConsumerStream<>(context(), options.getAddress(), address, name, known, codec::decode, options.getPrefetch(),
        options.getAckMode(), options.getReplyMarginMs(), options.getUnavailableTimeoutMs());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Remotely the host grants the producer a lease, which a timer on the caller's context renews
   * every third of its lease time until the producer is closed; see {@link RemoteProducer}.
   */
  @Override
  public Future<ChannelProducer> attach() {
    return send(Action.ATTACH, null, Wait.never()).<ChannelProducer>map(reply -> {
      JsonObject lease = (JsonObject) reply.body();
      return RemoteProducer.start(vertx, sender, address, where, known, Replies.lease(lease), Replies.leaseMs(lease));
    }).onFailure(failure -> {
      if (failure instanceof ChannelClosedException) {
        known.sawClosed();
      }
    });
  }

  @Override
  public Future<ChannelStatus> status() {
    return statusRequest(Action.STATUS, Wait.never());
  }

  /** Last known: see {@link dev.channels.ChannelClient#channel(String)}. */
  @Override
  public boolean isClosed() {
    return known.closed();
  }

  /** Last known: see {@link dev.channels.ChannelClient#channel(String)}. */
  @Override
  public boolean isFinished() {
    return known.finished();
  }

  /** Last known: see {@link dev.channels.ChannelClient#channel(String)}. */
  @Override
  public int size() {
    return known.size();
  }

  /**
   * Last known; {@link dev.channels.ChannelClient#UNKNOWN_CAPACITY} until a status of the channel
   * was seen: see {@link dev.channels.ChannelClient#channel(String)}.
   */
  @Override
  public int capacity() {
    return known.capacity();
  }

  @Override
  public String toString() {
    return "RemoteChannel[" + address + "]";
  }

  private Future<Void> put(T item, Wait wait, Action action) {
    return put(item, wait, action, null);
  }

  private Future<Void> put(T item, Wait wait, Action action, String key) {
    if (item == null) {
      return nullItem();
    }
    Object body;
    try {
      body = encode(item, SINGLE_ITEM);
    } catch (IllegalArgumentException refused) {
      return failed(refused);
    }
    return send(action, body, wait, key)
        .onFailure(failure -> {
          if (failure instanceof ChannelClosedException) {
            known.sawClosed();
          }
        })
        .mapEmpty();
  }

  /**
   * The message body of {@code item} (item {@code index} of a put-all, or {@link #SINGLE_ITEM}),
   * checked here so that nothing is sent for an item the channel cannot carry: throws {@link
   * IllegalArgumentException} naming the channel, the item and its type if the codec cannot map
   * it, or if the body is not of the protocol's item types (an untyped channel's item is its body:
   * the event bus would throw at a {@code UUID} in a put-all's JSON array, the host refuse it).
   */
  private Object encode(T item, int index) {
    Object body;
    try {
      body = codec.encode(item);
    } catch (RuntimeException unmappable) {
      throw new IllegalArgumentException(where + ": cannot map " + which(index) + " (a " + item.getClass().getName()
          + "): " + unmappable.getMessage(), unmappable);
    }
    if (!Items.isItem(body)) {
      throw new IllegalArgumentException(Failure.BAD_REQUEST.message(where + ": " + which(index) + " is "
          + (body == null ? "null" : "a " + body.getClass().getName()) + "; items must be " + Items.DESCRIBED
          + " (channel(name, type) maps other types to JSON objects)"));
    }
    return body;
  }

  private static String which(int index) {
    return index == SINGLE_ITEM ? "the item" : "put-all item " + index;
  }

  /**
   * Puts {@code bodies} from {@code enqueued} on, a batch at a time, until all are in or the host
   * stops the put-all for good: re-sends the rest when the host stopped at its deadline; completes
   * with the count so far when it stopped because the channel closed or the host is full.
   */
  private void putRest(List<Object> bodies, int enqueued, String key, Promise<Integer> result) {
    List<Object> batch = bodies.subList(enqueued, Math.min(bodies.size(), enqueued + Protocol.MAX_BATCH));
    // the same items from the same offset carry the same key: a repeat of the whole put-all repeats each request
    String batchKey = key == null || enqueued == 0 ? key : key + "+" + enqueued;
    send(Action.PUT_ALL, ChannelRequest.putAllBody(batch), waitIndefinitely(), batchKey).onComplete(reply -> {
      JsonObject answer = (JsonObject) reply.body();
      int total = enqueued + Replies.enqueued(answer);
      String stopped = Replies.stopped(answer);
      if (Protocol.STOPPED_CLOSED.equals(stopped)) {
        known.sawClosed();
      } else if (Protocol.STOPPED_UNAVAILABLE.equals(stopped)) {
        known.sawUnavailable();
      }
      if (total == bodies.size() || Protocol.STOPPED_CLOSED.equals(stopped) || Protocol.STOPPED_OVERLOADED.equals(stopped)) {
        result.complete(total);
      } else { // stopped at the deadline, or by a host that stops: the rest is sent again
        putRest(bodies, total, key, result);
      }
    }, failure -> {
      if (failure instanceof ChannelClosedException) {
        known.sawClosed();
      }
      if (enqueued > 0 && (failure instanceof ChannelClosedException || failure instanceof ChannelOverloadedException)) {
        result.complete(enqueued); // stopped midway: the rest stay the caller's
      } else {
        result.fail(failure);
      }
    });
  }

  /**
   * An acknowledged take or poll of up to {@code max} items ({@link #SINGLE_TAKE}: one, alone):
   * completes with the decoded item(s), acknowledged on delivery. An item that cannot be decoded (a
   * typed channel's) is rejected, to the dead-letter channel, and never handed to the caller; if no
   * item of a delivery could be decoded, the take is made again (within what is left of its timeout).
   */
  private <R> Future<R> takeRequest(Action action, Wait wait, int max, Decoder<R> decode) {
    Promise<R> result = context().promise();
    take(action, wait, System.nanoTime(), max, decode, result);
    return result.future();
  }

  private <R> void take(Action action, Wait wait, long startedAt, int max, Decoder<R> decode, Promise<R> result) {
    sender.send(new Sender.Request(address, where, action, null, wait, true, max, known)).onComplete(delivery -> {
      Settlement.Builder rejected = new Settlement.Builder();
      R value = decode.decode(delivery.body(), rejected);
      if (!rejected.settlesAny()) {
        Ride.complete(sender.bus(), address, delivery, value, result);
        return;
      }
      Ride.settle(delivery, rejected.build(-1));
      if (value != null) {
        result.complete(value);
      } else { // every item went to the dead-letter channel: take again
        take(action, wait.after(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt)), System.nanoTime(),
            max, decode, result);
      }
    }, failure -> {
      if (failure instanceof ChannelClosedException) {
        known.sawFinished();
      }
      result.fail(failure);
    });
  }

  /** Turns a delivery's body into what the take completes with, rejecting what cannot be decoded. */
  @FunctionalInterface
  private interface Decoder<R> {
    /** The value, or {@code null} if nothing could be decoded; each undecodable item is rejected in {@code rejected}. */
    R decode(Object body, Settlement.Builder rejected);
  }

  private T decodeOne(Object body, Settlement.Builder rejected) {
    try {
      return codec.decode(body);
    } catch (RuntimeException unmappable) {
      rejected.reject(0, DeadLetter.UNMAPPABLE, unmappable.getMessage());
      return null;
    }
  }

  private List<T> decodeBatch(Object body, Settlement.Builder rejected) {
    JsonArray items = (JsonArray) body;
    List<T> batch = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        batch.add(codec.decode(Items.element(items, i)));
      } catch (RuntimeException unmappable) {
        rejected.reject(i, DeadLetter.UNMAPPABLE, unmappable.getMessage());
      }
    }
    return batch.isEmpty() ? null : batch;
  }

  private Future<ChannelStatus> statusRequest(Action action, Wait wait) {
    return send(action, null, wait).map(reply -> {
      ChannelStatus status = StatusJson.decode((JsonObject) reply.body());
      known.saw(status);
      return status;
    });
  }

  /** Sends a request other than a take or poll. */
  private Future<Message<Object>> send(Action action, Object body, Wait wait) {
    return send(action, body, wait, null);
  }

  private Future<Message<Object>> send(Action action, Object body, Wait wait, String key) {
    return sender.send(new Sender.Request(address, where, action, body, wait, false, 0, known, key));
  }

  private Wait waitIndefinitely() {
    return Wait.indefinitely(options.getWaitTimeoutMs());
  }

  private ContextInternal context() {
    return vertx.getOrCreateContext();
  }

  private <R> Future<R> failed(Throwable failure) {
    return context().failedFuture(failure);
  }

  private <R> Future<R> nullItem() {
    return failed(new NullPointerException(where + ": null items are not allowed"));
  }

  private <R> Future<R> invalidTimeout(Duration timeout) {
    return failed(new IllegalArgumentException(where + ": timeout must be zero or positive, not " + timeout));
  }
}
