package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static dev.channels.impl.client.Polling.statusWhen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.AckMode;
import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.Delivered;
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

/**
 * A {@code consume} whose processor fails on one item, partway through a push of several: what it
 * processed before stays processed (never delivered again, to it or anybody else); acknowledging on
 * delivery, consume fails and the rest goes back for another consumer; acknowledging after
 * processing, only the failed item comes again, marked, and consume goes on.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ProcessorFailureTest {

  private static final int PREFETCH = 8;
  private static final int ITEMS = 10;
  /** The item whose processing fails. */
  private static final int FAILING = 3;

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  private static ChannelClient client(Vertx vertx, AckMode ackMode) {
    return ChannelClient.create(vertx, new ChannelClientOptions().setPrefetch(PREFETCH).setAckMode(ackMode));
  }

  /** Creates 'jobs', puts every item in one put-all (the first push holds {@link #PREFETCH}), and closes it. */
  private static Future<Channel<Integer>> closedJobs(ChannelClient client) {
    Channel<Integer> jobs = client.channel("jobs", Integer.class);
    return client.create("jobs", Channel.UNBOUNDED)
        .compose(created -> jobs.putAll(range(0, ITEMS)))
        .compose(enqueued -> jobs.close())
        .map(closed -> jobs);
  }

  @Test
  void acknowledgingOnDeliveryAThrowingProcessorFailsConsumeAndTheRestGoesToAnotherConsumer(Vertx vertx,
      VertxTestContext test) {
    List<Integer> processed = new ArrayList<>();
    List<Integer> others = new ArrayList<>();
    IllegalStateException failure = new IllegalStateException("item " + FAILING + " fails");
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> closedJobs(client(vertx, AckMode.ON_DELIVERY)))
        .compose(jobs -> jobs.consume(item -> {
              processed.add(item);
              if (item == FAILING) {
                throw failure;
              }
              return Future.succeededFuture();
            })
            .transform(consumed -> {
              assertThat(consumed.failed()).as("consume fails").isTrue();
              assertThat(consumed.cause()).isSameAs(failure);
              return statusWhen(vertx, jobs, "the first consumer gone, nothing in flight", 2_000,
                  status -> status.inFlight() == 0 && status.waitingTakers() == 0);
            })
            .compose(status -> jobs.consume(item -> {
              others.add(item);
              return Future.succeededFuture();
            }))
            .compose(consumed -> jobs.status()))
        .map(status -> {
          assertThat(processed).containsExactly(0, 1, 2, FAILING);
          assertThat(others).as("the rest, once, and nothing the first consumer had")
              .containsExactlyElementsOf(range(FAILING + 1, ITEMS));
          assertThat(status.redelivered()).isZero();
          assertThat(status.totalTaken()).isEqualTo(ITEMS);
          assertThat(status.finished()).isTrue();
          return status;
        }));
  }

  @Test
  void acknowledgingAfterProcessingOnlyTheFailedItemComesAgainMarkedAndConsumeGoesOn(Vertx vertx,
      VertxTestContext test) {
    List<Delivered<Integer>> deliveries = new ArrayList<>();
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> closedJobs(client(vertx, AckMode.AFTER_PROCESSING)))
        .compose(jobs -> jobs.consumeDeliveries(delivered -> {
              deliveries.add(delivered);
              // processed a little later, so several items of the push are processed at once
              return vertx.timer(5).compose(v -> delivered.item() == FAILING && !delivered.redelivered()
                  ? Future.failedFuture(new IllegalStateException("item " + FAILING + " fails the first time"))
                  : Future.succeededFuture());
            })
            .compose(consumed -> jobs.status()))
        .map(status -> {
          assertThat(deliveries).extracting(Delivered::item).as("every item processed once, the failed one twice")
              .containsExactlyInAnyOrderElementsOf(IntStream.concat(IntStream.range(0, ITEMS), IntStream.of(FAILING))
                  .boxed().toList());
          assertThat(deliveries).filteredOn(Delivered::redelivered)
              .singleElement().satisfies(again -> {
                assertThat(again.item()).isEqualTo(FAILING);
                assertThat(again.deliveries()).isEqualTo(2);
              });
          assertThat(deliveries).filteredOn(delivered -> delivered.item() == FAILING)
              .extracting(Delivered::deliveries).containsExactly(1, 2);
          assertThat(status.redelivered()).as("only the failed item").isEqualTo(1);
          assertThat(status.totalTaken()).isEqualTo(ITEMS);
          assertThat(status.inFlight()).isZero();
          assertThat(status.finished()).isTrue();
          return status;
        }));
  }
}
