package dev.channels.impl.host;

import dev.channels.impl.protocol.ChannelRequest;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.Replies;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** The streaming consumers of one hosted channel, by address: consume, credit, cancel, and their ends. */
final class Consumers {

  private final HostedChannel channel;
  private final Map<String, HostedConsumer> byAddress = new LinkedHashMap<>();
  /** Consumers waiting in the channel: they are among its waiting takers. */
  private int waiting;

  Consumers(HostedChannel channel) {
    this.channel = channel;
  }

  /** Consumers not waiting in the channel (no credit, or a push on its way): not among its takers. */
  int idle() {
    return byAddress.size() - waiting;
  }

  /** A consumer entered ({@code +1}) or left ({@code -1}) the channel's waiting takers. */
  void waitingChanged(int delta) {
    waiting += delta;
  }

  void consume(ChannelRequest request, Message<Object> message) {

    if (channel.state().isFinished()) { // nothing will ever come: the status says so
      channel.replyStatus(message);
      return;
    }
    if (byAddress.containsKey(request.consumer())) {
      throw HostedChannel.refusal(Failure.CONFLICT, channel.where() + ": '" + request.consumer()
          + "' already consumes it");
    }
    String overloaded = channel.noRoomForAWaiter();
    if (overloaded != null) {
      throw HostedChannel.refusal(Failure.OVERLOADED, overloaded);
    }
    HostedConsumer consumer = new HostedConsumer(channel, this, request.consumer(), request.credit(), request.node());
    byAddress.put(request.consumer(), consumer);
    channel.replyStatus(message);
    consumer.wantMore();
  }

  void credit(ChannelRequest request, Message<Object> message) {
    HostedConsumer consumer = known(request);
    channel.answer(() -> message.reply(null));
    consumer.grant(request.credit());
  }

  void cancel(ChannelRequest request, Message<Object> message) {
    HostedConsumer consumer = known(request);
    byAddress.remove(consumer.address());
    JsonObject cancelled = Replies.cancelled(consumer.cancel());
    channel.answer(() -> message.reply(cancelled));
  }

  /** A push went unanswered: the consumer is removed, its items return, and it is told. */
  void expired(HostedConsumer consumer, String why) {
    // a consumer the host no longer lists (its host stops) still has its pushes out: they return too
    consumer.leave();
    if (byAddress.remove(consumer.address(), consumer)) {
      tell(consumer, Protocol.EVENT_EXPIRED, new JsonObject().put(Protocol.REASON, why));
    }
  }

  /** Cluster node {@code node} left: its consumers are removed, and their unanswered pushes return, counted. */
  void nodeLeft(String node) {
    for (HostedConsumer consumer : new ArrayList<>(byAddress.values())) {
      if (consumer.isOn(node)) {
        consumer.leave();
        byAddress.remove(consumer.address(), consumer);
      }
    }
  }

  /** The channel finished: every consumer's stream ends. */
  void ended() {
    JsonObject status = channel.status();
    forgetAll().forEach(consumer -> {
      consumer.leave();
      tell(consumer, Protocol.EVENT_END, status);
    });
  }

  /** The channel was deleted: in-flight items are already forgotten. */
  void deleted() {
    forgetAll().forEach(consumer -> {
      consumer.leave();
      tell(consumer, Protocol.EVENT_DELETED, new JsonObject().put(Protocol.REASON, channel.where() + " was deleted"));
    });
  }

  /**
   * The host stops serving the channel for now (it stops, or the channel is evicted): every consumer
   * stops waiting and is told {@code reason}, so that it consumes again later (where the channel is
   * served then); the answers to its pushes are still taken.
   */
  void suspended(String reason) {
    forgetAll().forEach(consumer -> {
      consumer.suspend();
      tell(consumer, Protocol.EVENT_UNAVAILABLE, new JsonObject().put(Protocol.REASON, reason));
    });
  }

  private ArrayList<HostedConsumer> forgetAll() {
    ArrayList<HostedConsumer> all = new ArrayList<>(byAddress.values());
    byAddress.clear();
    return all;
  }

  private HostedConsumer known(ChannelRequest request) {
    HostedConsumer consumer = byAddress.get(request.consumer());
    if (consumer == null) {
      throw HostedChannel.refusal(Failure.NOT_FOUND, channel.where() + ": '" + request.consumer()
          + "' is not a consumer of it (never registered, cancelled, ended or expired)");
    }
    return consumer;
  }

  private void tell(HostedConsumer consumer, String event, JsonObject body) {
    channel.answer(() -> channel.vertx().eventBus().send(consumer.address(), body,
        new DeliveryOptions().addHeader(Protocol.EVENT, event)));
  }
}
