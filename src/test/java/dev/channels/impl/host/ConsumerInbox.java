package dev.channels.impl.host;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A streaming consumer's own address as a test holds it: every message the host sends there
 * (pushes and events), in arrival order, for the test to read and answer one by one.
 */
final class ConsumerInbox {

  final String address;
  private final List<Message<Object>> arrived = new ArrayList<>();
  /** Promises of {@link #next()} for messages that have not arrived yet, by index. */
  private final Map<Integer, Promise<Message<Object>>> awaited = new HashMap<>();
  private int read;
  private MessageConsumer<Object> registration;

  private ConsumerInbox(String address) {
    this.address = address;
  }

  /** Registers a handler at {@code address}; completes once it is registered. */
  static Future<ConsumerInbox> open(Vertx vertx, String address) {
    ConsumerInbox inbox = new ConsumerInbox(address);
    inbox.registration = vertx.eventBus().consumer(address, inbox::receive);
    return inbox.registration.completion().map(inbox);
  }

  /** The next message not yet returned by {@code next()}, once it has arrived. */
  Future<Message<Object>> next() {
    synchronized (this) {
      int index = read++;
      if (index < arrived.size()) {
        return Future.succeededFuture(arrived.get(index));
      }
      Promise<Message<Object>> promise = Promise.promise();
      awaited.put(index, promise);
      return promise.future();
    }
  }

  /** How many messages have arrived so far. */
  synchronized int size() {
    return arrived.size();
  }

  synchronized List<Message<Object>> all() {
    return new ArrayList<>(arrived);
  }

  /** Unregisters the address: from now on, a push to it fails {@code NO_HANDLERS}. */
  Future<Void> close() {
    return registration.unregister();
  }

  private void receive(Message<Object> message) {
    Promise<Message<Object>> promise;
    synchronized (this) {
      promise = awaited.remove(arrived.size());
      arrived.add(message);
    }
    if (promise != null) {
      promise.complete(message);
    }
  }
}
