package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static dev.channels.impl.client.ClientTesting.recordOutbound;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelStatus;
import dev.channels.impl.client.ClientTesting.Sent;
import dev.channels.impl.protocol.Protocol;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An acknowledgement that reaches the host after its {@code ackTimeoutMs}: the host has given the
 * item back, so it refuses a take riding on that acknowledgement {@code 412 ACK_EXPIRED}, unhandled
 * (before its grace ran out; after it, nobody listens: {@code NO_HANDLERS}); the client sends that
 * take to the channel again, and it gets an item like any take.
 *
 * <p>The client acknowledges a delivery as soon as it completes the take (see {@link Ride}), so an
 * acknowledgement is late only when the delivery itself reaches the client late. The test makes it
 * so by holding the delivery back on the event bus (an inbound interceptor) until the host has
 * given its item back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class LateAcknowledgementTest {

  private static final long ACK_TIMEOUT_MS = 500;
  private static final String ADDRESS = "channels.jobs";

  /**
   * A delivery the event bus holds back from its taker.
   *
   * @param ackAddress where the host listened for its acknowledgement
   * @param release hands it to the taker, on the taker's context
   */
  private record HeldDelivery(String ackAddress, Runnable release) {
  }

  /** Holds back, from now on, the first delivery of an acknowledged take (it carries {@code deliveries}). */
  private static Future<HeldDelivery> holdFirstDelivery(Vertx vertx) {
    Promise<HeldDelivery> held = Promise.promise();
    AtomicBoolean holding = new AtomicBoolean();
    vertx.eventBus().addInboundInterceptor(delivery -> {
      Message<?> message = delivery.message();
      if (message.replyAddress() != null && message.headers().contains(Protocol.DELIVERIES)
          && holding.compareAndSet(false, true)) {
        Context taker = Vertx.currentContext(); // interceptors run on the receiving context
        held.complete(new HeldDelivery(message.replyAddress(), () -> taker.runOnContext(v -> delivery.next())));
      } else {
        delivery.next();
      }
    });
    return held.future();
  }

  /** The channel's status once {@code condition} holds, asked again every 20 ms until then (the test's timeout bounds it). */
  private static Future<ChannelStatus> statusOnce(Vertx vertx, Channel<?> channel, Predicate<ChannelStatus> condition) {
    return channel.status().compose(status -> condition.test(status)
        ? Future.succeededFuture(status)
        : vertx.timer(20).compose(v -> statusOnce(vertx, channel, condition)));
  }

  private static List<Sent> takes(List<Sent> sent) {
    return sent.stream().filter(message -> "take".equals(message.action())).toList();
  }

  /** What the host handed out to acknowledging takers, in order: each item with its {@code deliveries}. */
  private static List<String> deliveries(List<Sent> sent) {
    return sent.stream().filter(message -> message.headers().contains(Protocol.DELIVERIES))
        .map(message -> message.body() + "#" + message.headers().get(Protocol.DELIVERIES)).toList();
  }

  @Test
  void aTakeRidingOnALateAcknowledgementIsSentToTheChannelAgainAndGetsTheReturnedItem(
      Vertx vertx, VertxTestContext test) {
    JsonObject config = new JsonObject().put("ackTimeoutMs", ACK_TIMEOUT_MS);
    deployHost(vertx, config).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<String> jobs = client.channel("jobs");
      return client.create("jobs", Channel.UNBOUNDED)
          .compose(v -> jobs.putAll(List.of("a", "b")))
          .compose(v -> {
            List<Sent> sent = recordOutbound(vertx);
            Future<HeldDelivery> held = holdFirstDelivery(vertx);
            Future<String> late = jobs.take();
            // made while the late delivery completes: rides on its (late) acknowledgement
            Future<String> again = late.compose(item -> jobs.take());
            // rides on the redelivery's acknowledgement, in time
            Future<String> next = again.compose(item -> jobs.take());
            held.compose(delivery -> statusOnce(vertx, jobs, status -> status.inFlight() == 0 && status.size() == 2)
                    .onSuccess(status -> delivery.release().run()))
                .onFailure(test::failNow);
            return Future.all(late, again, next)
                .compose(all -> jobs.status())
                .map(status -> {
                  // the late delivery still completes its take: "a" reaches the application twice (at
                  // least once: the host had given it back)
                  assertThat(List.of(late.result(), again.result(), next.result())).containsExactly("a", "a", "b");
                  assertThat(deliveries(sent)).containsExactly("a#1", "a#2", "b#1");
                  String ackAddress = held.result().ackAddress();
                  // the take that rode on the late acknowledgement, then that take sent to the channel again
                  assertThat(takes(sent)).extracting(Sent::address).hasSize(4)
                      .startsWith(ADDRESS, ackAddress, ADDRESS)
                      .last().isNotIn(ADDRESS, ackAddress);
                  // "a" counted taken once, nothing left in flight or buffered
                  assertThat(status.totalPut()).isEqualTo(2);
                  assertThat(status.totalTaken()).isEqualTo(2);
                  assertThat(status.inFlight()).isZero();
                  assertThat(status.size()).isZero();
                  return status;
                });
          });
    })));
  }
}
