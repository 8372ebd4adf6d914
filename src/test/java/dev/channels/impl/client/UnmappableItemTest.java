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
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A typed channel ({@code client.channel(name, Job.class)}) given items that cannot be mapped to
 * its type (put through the untyped channel of the same name): each goes to the dead-letter
 * channel, saying why, once; it never loops, and never takes the good items down with it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class UnmappableItemTest {

  /** An application's item type, mapped to a JSON object on the wire. */
  record Job(int id, String file) {
  }

  private static final JsonObject GOOD_1 = new JsonObject().put("id", 1).put("file", "a.png");
  private static final JsonObject GOOD_2 = new JsonObject().put("id", 2).put("file", "b.png");
  /** Not a JSON object at all. */
  private static final String NOT_A_JOB = "resize c.png";
  /** A JSON object with a field Job does not have. */
  private static final JsonObject UNKNOWN_FIELD = new JsonObject().put("id", 3).put("file", "c.png").put("colour", "red");

  /** Creates 'jobs' and puts {@code items} through the untyped channel, which carries them as they are. */
  private static Future<Void> putRaw(ChannelClient client, List<Object> items) {
    Channel<Object> raw = client.channel("jobs");
    return client.create("jobs", Channel.UNBOUNDED).compose(created -> raw.putAll(items)).mapEmpty();
  }

  /** The first {@code count} deliveries of the dead-letter channel 'jobs-dead'. */
  private static Future<List<Delivered<Object>>> deadLetters(ChannelClient client, int count) {
    List<Delivered<Object>> read = new ArrayList<>();
    Promise<List<Delivered<Object>>> all = Promise.promise();
    ReadStream<Delivered<Object>> dead = client.channel("jobs-dead").deliveries();
    dead.exceptionHandler(all::tryFail).handler(delivered -> {
      read.add(delivered);
      if (read.size() == count) {
        dead.handler(null);
        all.complete(read);
      }
    });
    return all.future();
  }

  @Test
  void aTypedConsumeDeadLettersWhatItCannotMapAndFinishesWithEveryGoodItemProcessedOnce(Vertx vertx,
      VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx, new ChannelClientOptions().setAckMode(AckMode.AFTER_PROCESSING));
    List<Job> processed = new ArrayList<>();
    List<Throwable> reported = new ArrayList<>();
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> putRaw(client, List.of(GOOD_1, NOT_A_JOB, GOOD_2, UNKNOWN_FIELD)))
        .compose(put -> {
          Channel<Job> jobs = client.channel("jobs", Job.class);
          return jobs.close()
              .compose(closed -> jobs.consume(job -> {
                processed.add(job);
                return Future.succeededFuture();
              }))
              .compose(consumed -> jobs.status());
        })
        .compose(status -> {
          assertThat(processed).containsExactly(new Job(1, "a.png"), new Job(2, "b.png"));
          assertThat(status.finished()).isTrue();
          assertThat(status.totalTaken()).isEqualTo(2);
          assertThat(status.deadLettered()).isEqualTo(2);
          assertThat(status.redelivered()).as("nothing looped").isZero();
          return deadLetters(client, 2);
        })
        .map(dead -> {
          assertThat(dead).extracting(Delivered::item).containsExactly(NOT_A_JOB, UNKNOWN_FIELD);
          assertThat(dead).allSatisfy(letter -> {
            assertThat(letter.headers().get("reason")).isEqualTo("unmappable");
            assertThat(letter.headers().get("source")).isEqualTo("jobs");
            assertThat(letter.headers().get("error")).contains("Job");
            assertThat(letter.deliveries()).isEqualTo(1);
          });
          assertThat(dead.get(0).headers().get("error")).as("why: not a JSON object").contains("String");
          assertThat(dead.get(1).headers().get("error")).as("why: the unknown field").contains("colour");
          return dead;
        }));
  }

  @Test
  void aTypedBatchTakeReturnsTheGoodItemsAndDeadLettersTheRest(Vertx vertx, VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx);
    Channel<Job> jobs = client.channel("jobs", Job.class);
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> putRaw(client, List.of(GOOD_1, NOT_A_JOB, GOOD_2)))
        .compose(put -> jobs.take(10))
        .compose(batch -> {
          assertThat(batch).containsExactly(new Job(1, "a.png"), new Job(2, "b.png"));
          return statusWhen(vertx, jobs, "the dead letter confirmed", 2_000, status -> status.inFlight() == 0);
        })
        .compose(status -> {
          assertThat(status.totalTaken()).isEqualTo(2);
          assertThat(status.deadLettered()).isEqualTo(1);
          assertThat(status.size()).isZero();
          return deadLetters(client, 1);
        })
        .map(dead -> {
          assertThat(dead).extracting(Delivered::item).containsExactly(NOT_A_JOB);
          assertThat(dead.get(0).headers().get("reason")).isEqualTo("unmappable");
          return dead;
        }));
  }

  @Test
  void aTypedTakeOfAnUnmappableItemTakesTheNextOne(Vertx vertx, VertxTestContext test) {
    ChannelClient client = ChannelClient.create(vertx);
    Channel<Job> jobs = client.channel("jobs", Job.class);
    onNewContext(vertx, test, () -> deployHost(vertx, new JsonObject())
        .compose(id -> putRaw(client, List.of(UNKNOWN_FIELD, GOOD_1)))
        .compose(put -> jobs.take())
        .compose(job -> {
          assertThat(job).isEqualTo(new Job(1, "a.png"));
          return statusWhen(vertx, jobs, "the dead letter confirmed", 2_000, status -> status.inFlight() == 0);
        })
        .map(status -> {
          assertThat(status.totalTaken()).isEqualTo(1);
          assertThat(status.deadLettered()).isEqualTo(1);
          assertThat(status.size()).isZero();
          return status;
        }));
  }
}
