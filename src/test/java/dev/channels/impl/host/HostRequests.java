package dev.channels.impl.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Raw protocol v1 requests, as a client without a client library sends them: an address, the
 * {@code action} header and any other headers, and a body. The codes and names the tests expect
 * are spelled out here as literals, on purpose: they pin the wire protocol of docs/protocol.md,
 * not whatever the main code happens to call them.
 */
final class HostRequests {

  static final int BAD_REQUEST = 400;
  static final int NOT_FOUND = 404;
  static final int TIMEOUT = 408;
  static final int CONFLICT = 409;
  static final int CLOSED = 410;
  static final int FULL = 429;
  static final int EMPTY = 204;
  static final int OVERLOADED = 503;
  static final int ACK_EXPIRED = 412;
  static final int UNAVAILABLE = 421;

  private final Vertx vertx;
  private final String base;

  HostRequests(Vertx vertx, String base) {
    this.vertx = vertx;
    this.base = base;
  }

  HostRequests(Vertx vertx) {
    this(vertx, "channels");
  }

  String registryAddress() {
    return base;
  }

  String address(String channel) {
    return base + "." + channel;
  }

  String joinedAddress(String channel) {
    return address(channel) + ".joined";
  }

  /** A request to the registry with that action. */
  Request registry(String action) {
    return new Request(base).header("action", action);
  }

  /** A request to a channel's address with that action. */
  Request channel(String name, String action) {
    return new Request(address(name)).header("action", action);
  }

  /** A request to any address, with no header at all yet. */
  Request to(String address) {
    return new Request(address);
  }

  /**
   * A request that rides on the answer to an acknowledged delivery: sent with {@code
   * replyAndRequest} to the delivery, it acknowledges it and carries that action.
   */
  Request riding(Message<?> delivery, String action) {
    return new Request(delivery).header("action", action);
  }

  Future<JsonObject> create(String name) {
    return registry("create").body(new JsonObject().put("name", name)).json();
  }

  Future<JsonObject> create(String name, int capacity) {
    return registry("create").body(new JsonObject().put("name", name).put("capacity", capacity)).json();
  }

  Future<JsonObject> delete(String name) {
    return registry("delete").body(new JsonObject().put("name", name)).json();
  }

  Future<JsonObject> list() {
    return registry("list").json();
  }

  Future<JsonObject> status(String name) {
    return channel(name, "status").json();
  }

  Future<JsonObject> close(String name) {
    return channel(name, "close").json();
  }

  /** A put that may not wait: it must be accepted at once. */
  Future<Void> put(String name, Object item) {
    return channel(name, "put").timeout(0).body(item).send().mapEmpty();
  }

  /** A take that may not wait: an item must be there. */
  Future<Object> take(String name) {
    return channel(name, "take").timeout(0).send().map(Message::body);
  }

  /**
   * An acknowledged take ({@code ack: true}) that may not wait: the reply is the delivery, to be
   * answered by the test ({@code reply} acknowledges, {@code fail} returns the item).
   */
  Future<Message<Object>> takeWithAck(String name) {
    return channel(name, "take").header("ack", "true").timeout(0).send();
  }

  /** Puts each item in turn, each accepted at once. */
  Future<Void> putAll(String name, Object... items) {
    Future<Void> done = Future.succeededFuture();
    for (Object item : items) {
      done = done.compose(v -> put(name, item));
    }
    return done;
  }

  /**
   * A fresh channel's status with the host's default settings (maxDeliveries 20, dead letters to
   * {@code <name>-dead}), to adjust with {@code put(...)} for the expected value.
   */
  static JsonObject freshStatus(String name, Integer capacity) {
    return new JsonObject()
        .put("name", name)
        .put("capacity", capacity)
        .put("size", 0)
        .put("closed", false)
        .put("finished", false)
        .put("putters", 0)
        .put("takers", 0)
        .put("put", 0L)
        .put("taken", 0L)
        .put("inFlight", 0)
        .put("redelivered", 0L)
        .put("deadLettered", 0L)
        .put("producers", 0)
        .put("maxDeliveries", 20)
        .put("deadLetter", (name.length() > 123 ? name.substring(0, 123) : name) + "-dead");
  }

  /** The delivery headers of an item reply or push: {@code deliveries} and {@code redelivered}. */
  static void assertDeliveryHeaders(Message<?> delivery, String deliveries, boolean redelivered) {
    assertThat(delivery.headers().getAll("deliveries")).as("header 'deliveries'").containsExactly(deliveries);
    if (redelivered) {
      assertThat(delivery.headers().getAll("redelivered")).as("header 'redelivered'").containsExactly("true");
    } else {
      assertThat(delivery.headers().contains("redelivered")).as("header 'redelivered' is absent").isFalse();
    }
  }

  /** A reply that carries neither delivery header, as in protocol v1. */
  static void assertNoDeliveryHeaders(Message<?> reply) {
    assertThat(reply.headers().contains("deliveries")).as("header 'deliveries' is absent").isFalse();
    assertThat(reply.headers().contains("redelivered")).as("header 'redelivered' is absent").isFalse();
  }

  /**
   * Succeeds with the failure if the request was refused by the host with {@code code} and a
   * message {@code "NAME: ..."}; fails with an {@link AssertionError} otherwise (also when the
   * request succeeded).
   */
  static Future<ReplyException> refused(Future<?> request, int code, String name) {
    return request.transform(outcome -> {
      assertThat(outcome.succeeded())
          .withFailMessage("expected a %d %s refusal, but the request succeeded with %s",
              code, name, outcome.succeeded() ? outcome.result() : null)
          .isFalse();
      assertThat(outcome.cause()).isInstanceOf(ReplyException.class);
      ReplyException refusal = (ReplyException) outcome.cause();
      assertThat(refusal.failureType())
          .withFailMessage("expected a refusal by the host, got %s", refusal)
          .isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(refusal.failureCode()).withFailMessage("expected code %d, got %s", code, refusal).isEqualTo(code);
      assertThat(refusal.getMessage()).startsWith(name + ": ");
      return Future.succeededFuture(refusal);
    });
  }

  /** Succeeds if nobody listens at the request's address (Vert.x's own NO_HANDLERS). */
  static Future<Void> noHandlers(Future<?> request) {
    return request.transform(outcome -> {
      assertThat(outcome.succeeded()).withFailMessage("expected NO_HANDLERS, but the request succeeded").isFalse();
      assertThat(outcome.cause()).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) outcome.cause()).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
      return Future.succeededFuture();
    });
  }

  /** One request under construction. */
  final class Request {

    private final String address;
    /** The delivery this request answers, when it rides on an acknowledgement. */
    private final Message<?> delivery;
    private final DeliveryOptions options = new DeliveryOptions();
    private Object body;

    private Request(String address) {
      this.address = address;
      this.delivery = null;
    }

    private Request(Message<?> delivery) {
      this.address = null;
      this.delivery = delivery;
    }

    /** Adds a header; several values make it multi-valued. */
    Request header(String name, String... values) {
      for (String value : values) {
        options.addHeader(name, value);
      }
      return this;
    }

    Request timeout(long ms) {
      return header("timeout", String.valueOf(ms));
    }

    Request body(Object body) {
      this.body = body;
      return this;
    }

    /** How long the client waits for a reply (the event bus's send timeout). */
    Request sendTimeout(long ms) {
      options.setSendTimeout(ms);
      return this;
    }

    Future<Message<Object>> send() {
      return delivery != null ? delivery.replyAndRequest(body, options)
          : vertx.eventBus().request(address, body, options);
    }

    Future<JsonObject> json() {
      return send().map(reply -> (JsonObject) reply.body());
    }
  }
}
