package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static dev.channels.impl.client.ClientTesting.recordOutbound;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelStatus;
import dev.channels.impl.client.ClientTesting.Sent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Acknowledged takes as the client makes them: every take and poll asks for an acknowledged
 * delivery, each delivery is acknowledged exactly once, and a take made while the previous one
 * completes carries that acknowledgement (it rides on it) instead of costing a message of its own.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class AcknowledgementTest {

  private static final int ITEMS = 50;
  private static final String ADDRESS = "channels.jobs";

  /** A client, and the channel "jobs" holding {@code ITEMS} items. */
  private static Future<Channel<Integer>> filledChannel(Vertx vertx) {
    ChannelClient client = ChannelClient.create(vertx);
    Channel<Integer> jobs = client.channel("jobs");
    return client.create("jobs", Channel.UNBOUNDED)
        .compose(v -> jobs.putAll(IntStream.range(0, ITEMS).boxed().toList()))
        .map(jobs);
  }

  /** Takes {@code remaining} items, each take made from the completion of the previous one. */
  private static void takeInALoop(Channel<Integer> channel, int remaining, List<Integer> taken, Promise<List<Integer>> done) {
    channel.take().onComplete(item -> {
      taken.add(item);
      if (remaining > 1) {
        takeInALoop(channel, remaining - 1, taken, done);
      } else {
        done.complete(taken);
      }
    }, done::fail);
  }

  private static List<Sent> takesTo(List<Sent> sent, String address) {
    return sent.stream().filter(message -> "take".equals(message.action()) && address.equals(message.address())).toList();
  }

  private static List<Sent> ridingTakes(List<Sent> sent) {
    return sent.stream().filter(message -> "take".equals(message.action()) && !ADDRESS.equals(message.address())).toList();
  }

  private static ChannelStatus assertAllTakenNoneInFlight(ChannelStatus status, int taken) {
    assertThat(status.inFlight()).isZero();
    assertThat(status.totalTaken()).isEqualTo(taken);
    return status;
  }

  @Test
  void aTakeLoopSendsOneMessagePerItemEachTakeRidingOnThePreviousAcknowledgement(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () ->
        filledChannel(vertx).compose(jobs -> {
          List<Sent> sent = recordOutbound(vertx);
          return Future.<List<Integer>>future(done -> takeInALoop(jobs, ITEMS, new ArrayList<>(), done))
              .map(taken -> {
                assertThat(taken).isEqualTo(IntStream.range(0, ITEMS).boxed().toList());
                // the first take goes to the channel; each next one is the reply to the delivery before
                assertThat(takesTo(sent, ADDRESS)).hasSize(1);
                assertThat(ridingTakes(sent)).hasSize(ITEMS - 1)
                    .allSatisfy(ride -> assertThat(ride.headers().get("ack")).isEqualTo("true"));
                // only the last delivery, with nothing riding on it, gets a plain acknowledgement (sent
                // once this completion returns)
                assertThat(sent.stream().filter(Sent::isPlainAcknowledgement)).isEmpty();
                return taken;
              })
              .compose(taken -> jobs.status())
              .map(status -> {
                assertThat(sent.stream().filter(Sent::isPlainAcknowledgement)).hasSize(1);
                return assertAllTakenNoneInFlight(status, ITEMS);
              });
        }))));
  }

  @Test
  void aLoopThatTakesInALaterTurnAcknowledgesEachDeliveryWithAMessageOfItsOwn(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () ->
        filledChannel(vertx).compose(jobs -> {
          List<Sent> sent = recordOutbound(vertx);
          Promise<Void> done = Promise.promise();
          takeInLaterTurns(vertx, jobs, ITEMS, done);
          return done.future()
              .compose(v -> jobs.status())
              .map(status -> {
                assertThat(takesTo(sent, ADDRESS)).hasSize(ITEMS);
                assertThat(ridingTakes(sent)).isEmpty();
                assertThat(sent.stream().filter(Sent::isPlainAcknowledgement)).hasSize(ITEMS);
                return assertAllTakenNoneInFlight(status, ITEMS);
              });
        }))));
  }

  private static void takeInLaterTurns(Vertx vertx, Channel<Integer> channel, int remaining, Promise<Void> done) {
    channel.take().onComplete(item -> vertx.runOnContext(v -> {
      if (remaining > 1) {
        takeInLaterTurns(vertx, channel, remaining - 1, done);
      } else {
        done.complete();
      }
    }), done::fail);
  }

  @Test
  void pollsAndBatchTakesRideToo(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () ->
        filledChannel(vertx).compose(jobs -> {
          List<Sent> sent = recordOutbound(vertx);
          return jobs.take(10)
              .compose(batch -> jobs.poll())
              .compose(item -> jobs.take(5))
              .compose(batch -> jobs.status())
              .map(status -> {
                List<Sent> requests = sent.stream().filter(Sent::isRequest).toList();
                assertThat(requests).extracting(Sent::action).containsExactly("take", "poll", "take", "status");
                assertThat(requests.get(0).address()).isEqualTo(ADDRESS);
                assertThat(requests.subList(1, 3)).allSatisfy(ride -> {
                  assertThat(ride.address()).isNotEqualTo(ADDRESS);
                  assertThat(ride.headers().get("ack")).isEqualTo("true");
                });
                assertThat(requests.get(2).headers().get("max")).isEqualTo("5");
                return assertAllTakenNoneInFlight(status, 16);
              });
        }))));
  }

  @Test
  void anyOtherRequestMadeWhileATakeCompletesIsSentAfterItsAcknowledgement(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<Integer> results = client.channel("results");
      return filledChannel(vertx)
          .compose(jobs -> client.create("results", Channel.UNBOUNDED).map(jobs))
          .compose(jobs -> {
            List<Sent> sent = recordOutbound(vertx);
            // a pipeline stage: the result goes to another channel, then the stage looks at its input
            return jobs.take()
                .compose(item -> results.put(item * 10))
                .compose(v -> jobs.status())
                .map(status -> {
                  List<Sent> fromClient = sent.stream().filter(m -> m.isRequest() || m.isPlainAcknowledgement()).toList();
                  assertThat(fromClient).extracting(m -> m.isRequest() ? m.action() : "ack")
                      .startsWith("take", "ack", "put");
                  return assertAllTakenNoneInFlight(status, 1);
                });
          })
          .compose(v -> results.poll())
          .map(item -> assertThat(item).isZero());
    })));
  }

  @Test
  void aDeliveryIsAcknowledgedWhetherItsCallbackThrowsOrThereIsNone(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () ->
        filledChannel(vertx).compose(jobs -> {
          Future<Integer> unattended = jobs.take();
          Future<Integer> throwing = jobs.take();
          throwing.onSuccess(item -> {
            throw new IllegalStateException("a worker that fails on its item");
          });
          // the status is asked in a later turn than the deliveries: after their acknowledgements
          Promise<Void> later = Promise.promise();
          Future.all(unattended, throwing).onComplete(both -> vertx.runOnContext(v -> later.complete()));
          return later.future()
              .compose(v -> jobs.status())
              .map(status -> assertAllTakenNoneInFlight(status, 2));
        }))));
  }

  @Test
  void aStreamIsAStreamingConsumerThatNeverTakes(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () ->
        filledChannel(vertx).compose(jobs -> {
          List<Sent> sent = recordOutbound(vertx);
          List<Integer> received = new ArrayList<>();
          return jobs.close()
              .compose(v -> Future.<Void>future(ended -> jobs.stream()
                  .handler(received::add)
                  .exceptionHandler(ended::fail)
                  .endHandler(ended::complete)))
              .compose(v -> jobs.status())
              .map(status -> {
                assertThat(received).isEqualTo(IntStream.range(0, ITEMS).boxed().toList());
                // streams are streaming consumers (docs/protocol.md, "The Java client"): one consume, no takes
                assertThat(sent.stream().filter(message -> "consume".equals(message.action())
                    && ADDRESS.equals(message.address()))).hasSize(1);
                assertThat(sent.stream().filter(message -> "take".equals(message.action()))).isEmpty();
                assertThat(status.finished()).isTrue();
                return assertAllTakenNoneInFlight(status, ITEMS);
              });
        }))));
  }
}
