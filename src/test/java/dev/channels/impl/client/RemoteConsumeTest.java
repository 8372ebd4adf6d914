package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.AckMode;
import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelClosedException;
import io.vertx.core.Future;
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

/** {@link Channel#consume} and {@link Channel#stream} of a remote channel: what acknowledgement mode changes. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class RemoteConsumeTest {

  @Test
  void afterProcessingAFailedItemGoesBackAndIsProcessedAgainWhileConsumeGoesOn(Vertx vertx, VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx, new ChannelClientOptions().setAckMode(AckMode.AFTER_PROCESSING));
    List<Integer> attempts = new ArrayList<>();
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> client.create("retry", 10))
        .compose(created -> {
          Channel<Integer> jobs = client.channel("retry", Integer.class);
          Future<Void> consumed = jobs.consume(item -> {
            attempts.add(item);
            boolean firstTry = attempts.stream().filter(item::equals).count() == 1;
            return item % 10 == 3 && firstTry ? Future.failedFuture("transient") : Future.succeededFuture();
          });
          return jobs.putAll(IntStream.range(0, 50).boxed().toList())
              .compose(enqueued -> jobs.close())
              .compose(closed -> consumed)
              .compose(done -> jobs.status());
        })
        .map(status -> {
          assertThat(attempts).filteredOn(item -> item % 10 == 3).containsOnly(3, 13, 23, 33, 43).hasSize(10);
          assertThat(attempts).hasSize(55);
          assertThat(status.totalTaken()).isEqualTo(50);
          assertThat(status.finished()).isTrue();
          return status;
        }));
  }

  @Test
  void afterProcessingAStreamHandlerThatThrowsGivesItsItemBack(Vertx vertx, VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx, new ChannelClientOptions().setAckMode(AckMode.AFTER_PROCESSING));
    List<String> handled = new ArrayList<>();
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> client.create("throws", 10))
        .compose(created -> {
          Channel<String> jobs = client.channel("throws");
          Future<Void> ended = Future.future(end -> jobs.stream()
              .exceptionHandler(failure -> { }) // the first "b" is reported here
              .endHandler(end::complete)
              .handler(item -> {
                handled.add(item);
                if (item.equals("b") && handled.indexOf("b") == handled.size() - 1 && handled.size() < 4) {
                  throw new IllegalStateException("b fails once");
                }
              }));
          return jobs.putAll(List.of("a", "b", "c"))
              .compose(enqueued -> jobs.close())
              .compose(closed -> ended);
        })
        .map(done -> {
          assertThat(handled).filteredOn("b"::equals).hasSize(2);
          assertThat(handled).containsExactlyInAnyOrder("a", "b", "b", "c");
          return done;
        }));
  }

  @Test
  void consumeOfADeletedChannelFailsClosed(Vertx vertx, VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx);
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> client.create("doomed", 10))
        .compose(created -> {
          Future<Void> consumed = client.<String>channel("doomed").consume(item -> Future.succeededFuture());
          return consumerWaits(vertx, client.channel("doomed"))
              .compose(waiting -> client.delete("doomed"))
              .compose(deleted -> consumed.transform(outcome -> {
                assertThat(outcome.failed()).isTrue();
                assertThat(outcome.cause()).isInstanceOf(ChannelClosedException.class).hasMessageContaining("deleted");
                return Future.succeededFuture();
              }));
        }));
  }

  /** Completes once the channel's status shows one waiting taker: the consumer, registered. */
  private static Future<Void> consumerWaits(Vertx vertx, Channel<?> channel) {
    return channel.status().compose(status -> status.waitingTakers() == 1 ? Future.succeededFuture()
        : Future.<Void>future(again -> vertx.setTimer(10, id -> consumerWaits(vertx, channel).onComplete(again))));
  }
}
