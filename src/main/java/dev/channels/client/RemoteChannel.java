package dev.channels.client;

import dev.channels.Channel;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelClosedException;
import dev.channels.ChannelOverloadedException;
import dev.channels.ChannelStatus;
import dev.channels.protocol.Action;
import dev.channels.protocol.Failure;
import dev.channels.protocol.Items;
import dev.channels.protocol.Protocol;
import dev.channels.protocol.StatusJson;
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
import java.util.Map;
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

  /** Why a put-all stopped early, from its answer's {@code stopped} (docs/protocol.md, "Batches"). */
  private static final String STOPPED_CLOSED = "closed";
  private static final String STOPPED_OVERLOADED = "overloaded";
  private static final Map<String, String> ACKNOWLEDGED = Map.of(Protocol.ACK, "true");
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
    long timeoutMs = Wait.toMillis(timeout);
    return timeoutMs < 0 ? invalidTimeout(timeout) : put(item, Wait.atMost(timeoutMs), Action.PUT);
  }

  @Override
  public Future<Void> offer(T item) {
    return put(item, Wait.never(), Action.OFFER);
  }

  @Override
  public Future<Integer> putAll(List<T> items) {
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
    putRest(bodies, 0, result);
    return result.future();
  }

  @Override
  public Future<T> take() {
    return takeRequest(Action.TAKE, waitIndefinitely(), ACKNOWLEDGED, codec::decode);
  }

  @Override
  public Future<T> take(Duration timeout) {
    long timeoutMs = Wait.toMillis(timeout);
    return timeoutMs < 0 ? invalidTimeout(timeout) : takeRequest(Action.TAKE, Wait.atMost(timeoutMs), ACKNOWLEDGED, codec::decode);
  }

  @Override
  public Future<List<T>> take(int max) {
    if (max < 1) {
      return failed(new IllegalArgumentException(where + ": max must be at least 1, not " + max));
    }
    Map<String, String> batch = Map.of(Protocol.ACK, "true", Protocol.MAX, Integer.toString(Math.min(max, Protocol.MAX_BATCH)));
    return takeRequest(Action.TAKE, waitIndefinitely(), batch, this::decodeBatch);
  }

  @Override
  public Future<T> poll() {
    return takeRequest(Action.POLL, Wait.never(), ACKNOWLEDGED, codec::decode);
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
   * (a handler that throws gives its item back). A paused stream holds at most {@code prefetch}
   * items; held past the host's ack deadline they go back to the channel (reported to the
   * exception handler as a {@link dev.channels.ChannelTimeoutException}) and the stream consumes
   * again. A deleted channel is reported as a {@link ChannelClosedException}.
   */
  @Override
  public ReadStream<T> stream() {
    return newConsumer();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Remotely a streaming consumer processing up to {@code prefetch} items at once. With {@link
   * dev.channels.AckMode#AFTER_PROCESSING} an item is acknowledged when its future succeeds, and a
   * failed one goes back to the channel to be delivered again (to this or another consumer); with
   * {@link dev.channels.AckMode#ON_DELIVERY} a failed item cannot go back, and consume fails.
   */
  @Override
  public Future<Void> consume(Function<? super T, Future<?>> processor) {
    return newConsumer().consume(processor::apply);
  }

  private ConsumerStream<T> newConsumer() {
    return new ConsumerStream<>(context(), address, name, codec::decode, options.getPrefetch(),
        options.getAckMode(), options.getReplyMarginMs());
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
    if (item == null) {
      return nullItem();
    }
    Object body;
    try {
      body = encode(item, SINGLE_ITEM);
    } catch (IllegalArgumentException refused) {
      return failed(refused);
    }
    return send(action.wireName(), body, wait, Map.of(), false)
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
  private void putRest(List<Object> bodies, int enqueued, Promise<Integer> result) {
    List<Object> batch = bodies.subList(enqueued, Math.min(bodies.size(), enqueued + Protocol.MAX_BATCH));
    send(Action.PUT_ALL.wireName(), new JsonArray(new ArrayList<>(batch)), waitIndefinitely(), Map.of(), false).onComplete(reply -> {
      JsonObject answer = (JsonObject) reply.body();
      int total = enqueued + answer.getInteger("enqueued");
      String stopped = answer.getString("stopped");
      if (STOPPED_CLOSED.equals(stopped)) {
        known.sawClosed();
      }
      if (total == bodies.size() || STOPPED_CLOSED.equals(stopped) || STOPPED_OVERLOADED.equals(stopped)) {
        result.complete(total);
      } else { // stopped at the deadline: the rest waits on
        putRest(bodies, total, result);
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
   * An acknowledged take or poll ({@code headers} include {@code ack: true}): completes with the
   * decoded item(s), acknowledged on delivery.
   */
  private <R> Future<R> takeRequest(Action action, Wait wait, Map<String, String> headers, Function<Object, R> decode) {
    Promise<R> result = context().promise();
    send(action.wireName(), null, wait, headers, true).onComplete(delivery -> {
      R value;
      try {
        value = decode.apply(delivery.body());
      } catch (RuntimeException unmappable) {
        Ride.acknowledge(delivery); // taken all the same: handing it to another taker would fail the same way
        result.fail(new IllegalStateException(where + ": " + unmappable.getMessage(), unmappable));
        return;
      }
      Ride.complete(sender.bus(), address, delivery, value, result);
    }, failure -> {
      if (failure instanceof ChannelClosedException) {
        known.sawFinished();
      }
      result.fail(failure);
    });
    return result.future();
  }

  private Future<ChannelStatus> statusRequest(Action action, Wait wait) {
    return send(action.wireName(), null, wait, Map.of(), false).map(reply -> {
      ChannelStatus status = StatusJson.decode((JsonObject) reply.body());
      known.saw(status);
      return status;
    });
  }

  private List<T> decodeBatch(Object body) {
    JsonArray items = (JsonArray) body;
    List<T> batch = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      batch.add(codec.decode(Items.element(items, i)));
    }
    return batch;
  }

  private Future<Message<Object>> send(String action, Object body, Wait wait, Map<String, String> headers, boolean mayRide) {
    return sender.send(new Sender.Request(address, where, action, body, wait, headers, mayRide));
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
