package dev.channels;

import dev.channels.impl.client.EventBusChannelClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Channels served by a host ({@link ChannelHostVerticle}) over the event bus, used as {@link
 * Channel}s from any verticle: the same operations, the same outcomes and the same exceptions as
 * an in-process channel.
 *
 * <pre>{@code
 * ChannelClient client = ChannelClient.create(vertx);
 * client.create("jobs", 100).onSuccess(status -> {
 *   Channel<JsonObject> jobs = client.channel("jobs");
 *   jobs.put(new JsonObject().put("file", "a.png")).compose(v -> jobs.close());
 *   jobs.stream().handler(job -> process(job)).endHandler(v -> System.out.println("all taken"));
 * });
 * }</pre>
 *
 * <p>Failures: the host's codes map to the in-process exceptions ({@code 410} {@link
 * ChannelClosedException}, {@code 429} {@link ChannelFullException}, {@code 204} {@link
 * ChannelEmptyException}, {@code 408} {@link ChannelTimeoutException}, {@code 503} {@link
 * ChannelOverloadedException}), plus {@code 404} {@link ChannelNotFoundException} (also when
 * nobody serves the channel's address, or the registry's), {@code 409} {@link
 * ChannelConflictException} and {@code 400} {@link IllegalArgumentException}, each with the host's
 * message (e.g. {@code "CLOSED: channel 'jobs' is closed"}). A host that does not answer in time
 * fails the operation with a {@link ChannelTimeoutException} saying so (the operation may or may
 * not have happened). Anything else (the host's {@code 500}) is the event bus's {@code
 * ReplyException}.
 *
 * <p>Every operation of a client or of its channels that returns a {@link Future} reports its
 * failures through it, never by throwing: an invalid name, capacity, item or timeout included
 * ({@link IllegalArgumentException} or {@link NullPointerException} as the failure). The
 * factories ({@code create} with a Vert.x instance, {@code channel}) throw for invalid arguments.
 *
 * <p>A client holds no resources: it needs no closing, and any number may share a Vert.x instance.
 */
public interface ChannelClient {

  /** {@link Channel#capacity()} of a remote channel whose capacity has not been seen yet. */
  int UNKNOWN_CAPACITY = -1;

  /** A client of the host at the default address ({@code channels}). */
  static ChannelClient create(Vertx vertx) {
    return create(vertx, new ChannelClientOptions());
  }

  static ChannelClient create(Vertx vertx, ChannelClientOptions options) {
    return new EventBusChannelClient(vertx, options);
  }

  /**
   * Creates the channel, or finds it if it exists with that capacity (idempotent, even once it
   * has finished); completes with its status.
   *
   * @param capacity a bound {@code > 0}, {@code 0} for rendezvous, or {@link Channel#UNBOUNDED}
   * @return fails {@link ChannelConflictException} if it exists with another capacity, {@link
   *     ChannelOverloadedException} at the host's channel limit, {@link IllegalArgumentException}
   *     for an invalid name or capacity
   */
  Future<ChannelStatus> create(String name, int capacity);

  /**
   * Creates the channel with those options (see {@link ChannelOptions}), or finds it if it exists
   * with the same capacity and with the same value of every other option set; completes with its
   * status.
   *
   * @return fails {@link ChannelConflictException} if it exists with another capacity, or another
   *     value of an option set here; otherwise as {@link #create(String, int)}
   */
  Future<ChannelStatus> create(String name, ChannelOptions options);

  /**
   * The channel of that name, whose items are what the event bus carries as they are, alone and in
   * JSON arrays: {@code String}, {@code JsonObject}, {@code JsonArray}, {@code Buffer}, {@code
   * byte[]}, {@code Integer}, {@code Long}, {@code Short}, {@code Byte}, {@code Float}, {@code
   * Double}, {@code Boolean}, {@code Character}. An item of any other type (a type with a codec of
   * its own included) fails its put, offer or put-all with {@link IllegalArgumentException} naming
   * the channel, the item and its type, and nothing is sent; {@link #channel(String, Class)} maps
   * other types to JSON. Sends nothing: a channel that does not exist fails its operations with
   * {@link ChannelNotFoundException}.
   *
   * <p>Its {@link Channel#isClosed()}, {@link Channel#isFinished()}, {@link Channel#size()} and
   * {@link Channel#capacity()} are the last known values, shared by every channel this client made
   * for that name: updated from every status this client sees for that name (create, list, status,
   * close, join) and from {@code CLOSED} failures. Before any is seen, the channel is taken as open
   * and empty, and its capacity is {@link #UNKNOWN_CAPACITY}. The client keeps them only while a
   * channel it made for that name is reachable (and for the last 256 names it created):
   * so many short-lived names cost nothing once dropped, and a channel made for a forgotten name
   * starts afresh.
   *
   * @throws IllegalArgumentException if the name is not a valid channel name ({@code
   *     [A-Za-z0-9_-]{1,128}})
   */
  <T> Channel<T> channel(String name);

  /**
   * As {@link #channel(String)}, with items of type {@code type}: types the event bus carries
   * ({@code String}, {@code JsonObject}, {@code Buffer}, boxed numbers, ...) travel as they are;
   * any other type (a record, a POJO) travels as a {@code JsonObject} mapped with Jackson ({@code
   * JsonObject.mapFrom}, {@code mapTo}). An item that cannot be mapped fails the put (nothing
   * sent); a taken or streamed item that cannot be mapped (put through {@link #channel(String)},
   * say) goes to the channel's dead-letter channel, with {@code reason: unmappable} and why in
   * {@code error}, and is never handed to the application: a take goes on with the next item, a
   * batch take completes with the items it could map, a stream reports it to its exception handler.
   *
   * @throws IllegalArgumentException if the name is not a valid channel name
   * @throws NullPointerException if {@code type} is null
   */
  <T> Channel<T> channel(String name, Class<T> type);

  /**
   * Deletes the channel: its waiting operations fail {@link ChannelClosedException}, buffered
   * items are dropped. Completes with how many were dropped; fails {@link
   * ChannelNotFoundException} if there is no such channel.
   */
  Future<Integer> delete(String name);

  /** The statuses of every channel the host serves. */
  Future<List<ChannelStatus>> list();

  /**
   * The event-bus address on which the host publishes the channel's status once, when it finishes
   * (closed, drained, every item settled): the joined event, for any number of subscribers.
   *
   * <pre>{@code
   * vertx.eventBus().<JsonObject>consumer(client.joinedAddress("jobs"), event -> System.out.println("done: " + event.body()));
   * }</pre>
   *
   * @throws IllegalArgumentException if the name is not a valid channel name
   */
  String joinedAddress(String name);
}
