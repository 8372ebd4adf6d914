package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.AckMode;
import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelOptions;
import dev.channels.Delivered;
import dev.channels.RejectItemException;
import dev.channels.RetryItemLaterException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Items a consumer acknowledging after processing cannot process: rejected ones go to the
 * dead-letter channel at once, ones to retry later come back no sooner than asked (and the channel
 * waits for them), and one that always fails goes to the dead-letter channel after {@code
 * maxDeliveries}; the channel then finishes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class PoisonItemTest {

  private static ChannelClient afterProcessing(Vertx vertx) {
    return ChannelClient.create(vertx, new ChannelClientOptions().setAckMode(AckMode.AFTER_PROCESSING));
  }

  /** Creates 'jobs' with {@code options}, puts {@code items} and closes it. */
  private static Future<Channel<String>> closedJobs(ChannelClient client, ChannelOptions options, List<String> items) {
    Channel<String> jobs = client.channel("jobs");
    return client.create("jobs", options)
        .compose(created -> jobs.putAll(items))
        .compose(enqueued -> jobs.close())
        .map(closed -> jobs);
  }

  /** The first delivery of the dead-letter channel 'jobs-dead'. */
  private static Future<Delivered<String>> firstDeadLetter(ChannelClient client) {
    Promise<Delivered<String>> first = Promise.promise();
    ReadStream<Delivered<String>> dead = client.<String>channel("jobs-dead").deliveries();
    dead.exceptionHandler(first::tryFail).handler(delivered -> {
      dead.handler(null);
      first.complete(delivered);
    });
    return first.future();
  }

  private static List<String> itemsOf(List<Delivered<String>> deliveries, String item) {
    return deliveries.stream().map(Delivered::item).filter(item::equals).toList();
  }

  @Test
  void aRejectedItemGoesToTheDeadLetterChannelAtOnceAndIsNeverDeliveredAgain(Vertx vertx, VertxTestContext test) {
    ChannelClient client = afterProcessing(vertx);
    List<Delivered<String>> processed = new ArrayList<>();
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> closedJobs(client, new ChannelOptions(), List.of("a", "bad", "b")))
        .compose(jobs -> jobs.consumeDeliveries(delivered -> {
              processed.add(delivered);
              return delivered.item().equals("bad")
                  ? Future.failedFuture(new RejectItemException("why"))
                  : Future.succeededFuture();
            })
            .compose(consumed -> jobs.status()))
        .compose(status -> {
          assertThat(processed).extracting(Delivered::item).containsExactly("a", "bad", "b");
          assertThat(status.finished()).isTrue();
          assertThat(status.deadLettered()).isEqualTo(1);
          assertThat(status.redelivered()).isZero();
          assertThat(status.totalTaken()).isEqualTo(2);
          return firstDeadLetter(client);
        })
        .map(dead -> {
          assertThat(dead.item()).isEqualTo("bad");
          assertThat(dead.headers().get("reason")).isEqualTo("rejected");
          assertThat(dead.headers().get("error")).isEqualTo("why");
          assertThat(dead.headers().get("source")).isEqualTo("jobs");
          return dead;
        }));
  }

  @Test
  void anItemToRetryLaterComesBackNoSoonerThanAskedAndTheChannelWaitsForIt(Vertx vertx, VertxTestContext test) {
    ChannelClient client = afterProcessing(vertx);
    Duration later = Duration.ofMillis(300);
    List<Delivered<String>> processed = new ArrayList<>();
    List<Long> retriedAt = new ArrayList<>();
    List<Boolean> joinedWhenRetried = new ArrayList<>();
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> closedJobs(client, new ChannelOptions(), List.of("a", "busy", "b")))
        .compose(jobs -> {
          Future<Void> joined = jobs.join();
          return jobs.consumeDeliveries(delivered -> {
                processed.add(delivered);
                if (!delivered.item().equals("busy")) {
                  return Future.succeededFuture();
                }
                retriedAt.add(System.nanoTime());
                joinedWhenRetried.add(joined.isComplete());
                return delivered.redelivered() ? Future.succeededFuture()
                    : Future.failedFuture(new RetryItemLaterException(later));
              })
              .compose(consumed -> joined)
              .compose(end -> jobs.status());
        })
        .map(status -> {
          assertThat(itemsOf(processed, "busy")).hasSize(2);
          assertThat(processed).extracting(Delivered::item).containsOnlyOnce("a", "b");
          assertThat(Duration.ofNanos(retriedAt.get(1) - retriedAt.get(0))).as("came back after")
              .isGreaterThanOrEqualTo(later);
          assertThat(joinedWhenRetried).as("the channel had not finished while the item waited").containsOnly(false);
          assertThat(processed).filteredOn(delivered -> delivered.item().equals("busy"))
              .extracting(Delivered::deliveries).containsExactly(1, 2);
          assertThat(status.finished()).isTrue();
          assertThat(status.totalTaken()).isEqualTo(3);
          assertThat(status.deadLettered()).isZero();
          return status;
        }));
  }

  @Test
  void anItemThatAlwaysFailsGoesToTheDeadLetterChannelAfterMaxDeliveriesAndTheChannelFinishes(Vertx vertx,
      VertxTestContext test) {
    ChannelClient client = afterProcessing(vertx);
    List<Delivered<String>> processed = new ArrayList<>();
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject().put("nackBackoffMs", 10))
        .compose(id -> closedJobs(client, new ChannelOptions().setMaxDeliveries(3), List.of("a", "poison", "b")))
        .compose(jobs -> jobs.consumeDeliveries(delivered -> {
              processed.add(delivered);
              return delivered.item().equals("poison")
                  ? Future.failedFuture(new IllegalStateException("cannot process " + delivered.item()))
                  : Future.succeededFuture();
            })
            .compose(consumed -> jobs.status()))
        .compose(status -> {
          assertThat(processed).filteredOn(delivered -> delivered.item().equals("poison"))
              .extracting(Delivered::deliveries).containsExactly(1, 2, 3);
          assertThat(processed).extracting(Delivered::item).containsOnlyOnce("a", "b");
          assertThat(status.finished()).isTrue();
          assertThat(status.deadLettered()).isEqualTo(1);
          assertThat(status.redelivered()).isEqualTo(2);
          assertThat(status.totalTaken()).isEqualTo(2);
          assertThat(status.inFlight()).isZero();
          return firstDeadLetter(client);
        })
        .map(dead -> {
          assertThat(dead.item()).isEqualTo("poison");
          assertThat(dead.headers().get("reason")).isEqualTo("max-deliveries");
          assertThat(dead.headers().get("source-deliveries")).isEqualTo("3");
          assertThat(dead.headers().get("source")).isEqualTo("jobs");
          return dead;
        }));
  }
}
