package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.failsWith;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static dev.channels.impl.client.ClientTesting.recordOutbound;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelTimeoutException;
import dev.channels.impl.client.ClientTesting.Sent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client's deadlines: each request asks the host for a deadline (the {@code timeout} header)
 * and waits for the answer that long plus the reply margin, so the host always answers first; an
 * operation without a timeout of its own asks for {@code waitTimeoutMs} and is sent again on each
 * 408, so it waits as long as it takes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class RemoteDeadlinesTest {

  private static final long WAIT_MS = 200;
  private static final long MARGIN_MS = 300;
  private static final ChannelClientOptions OPTIONS =
      new ChannelClientOptions().setWaitTimeoutMs(WAIT_MS).setReplyMarginMs(MARGIN_MS);

  /** Completes once {@code count} requests with that action have been sent. */
  private static Future<Void> afterRequests(Vertx vertx, String action, int count) {
    Promise<Void> seen = Promise.promise();
    AtomicInteger sent = new AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (action.equals(delivery.message().headers().get("action")) && sent.incrementAndGet() == count) {
        seen.tryComplete();
      }
      delivery.next();
    });
    return seen.future();
  }

  private static long requestsOf(List<Sent> sent, String action) {
    return sent.stream().filter(message -> action.equals(message.action())).count();
  }

  @Test
  void everyRequestWaitsForItsAnswerLongerThanTheDeadlineItGivesTheHost(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      List<Sent> sent = recordOutbound(vertx);
      ChannelClient client = ChannelClient.create(vertx, OPTIONS);
      Channel<String> jobs = client.channel("jobs");
      return client.create("jobs", 2)
          .compose(v -> failsWith(jobs.take(Duration.ofMillis(50)), ChannelTimeoutException.class))
          .compose(v -> jobs.put("a"))
          .compose(v -> jobs.offer("b"))
          .compose(v -> failsWith(jobs.put("c", Duration.ZERO), ChannelTimeoutException.class))
          .compose(v -> jobs.take())
          .compose(a -> jobs.take()) // rides on the acknowledgement of the first
          .compose(v -> jobs.putAll(List.of("d", "e")))
          .compose(v -> jobs.take(2))
          .compose(v -> jobs.poll().otherwiseEmpty())
          .compose(v -> jobs.status())
          .compose(v -> jobs.close())
          .compose(v -> jobs.join())
          .compose(v -> client.list())
          .map(v -> {
            List<Sent> requests = sent.stream().filter(Sent::isRequest).toList();
            assertThat(requests).extracting(Sent::action).containsExactly("create", "take", "put", "offer", "put",
                "take", "take", "put-all", "take", "poll", "status", "close", "join", "list");
            assertThat(requests).allSatisfy(request -> {
              long deadline = request.timeout() == null ? 0 : Long.parseLong(request.timeout());
              assertThat(request.sendTimeoutMs()).as("send timeout of %s", request).isEqualTo(deadline + MARGIN_MS);
            });
            // operations without a timeout of their own give the host waitTimeoutMs; the others theirs, or none
            assertThat(requests).extracting(Sent::timeout).containsExactly(null, "50", "200", null, "0",
                "200", "200", "200", "200", null, null, null, "200", null);
            return requests;
          });
    })));
  }

  @Test
  void aTakeWithoutTimeoutWaitsAcrossSeveralServerDeadlines(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      List<Sent> sent = recordOutbound(vertx);
      ChannelClient client = ChannelClient.create(vertx, OPTIONS);
      Channel<String> jobs = client.channel("jobs");
      return client.create("jobs", 1).compose(v -> {
        // three deadlines have passed once the fourth take is sent; the item comes during the fourth
        afterRequests(vertx, "take", 4).onSuccess(seen -> vertx.setTimer(WAIT_MS / 4, t -> jobs.put("late")));
        return jobs.take();
      })
          .map(item -> {
            assertThat(item).isEqualTo("late");
            assertThat(requestsOf(sent, "take")).as("three deadlines passed").isGreaterThanOrEqualTo(4);
            return item;
          })
          .compose(v -> jobs.status())
          .map(status -> {
            assertThat(status.waitingTakers()).isZero();
            assertThat(status.totalTaken()).isEqualTo(1);
            return status;
          });
    })));
  }

  @Test
  void aPutWithoutTimeoutWaitsAcrossSeveralServerDeadlines(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx, OPTIONS);
      Channel<String> jobs = client.channel("jobs");
      return client.create("jobs", 1)
          .compose(v -> jobs.put("first"))
          .compose(v -> {
            afterRequests(vertx, "put", 4).onSuccess(seen -> vertx.setTimer(WAIT_MS / 4, t -> jobs.take()));
            return jobs.put("second");
          })
          .compose(v -> jobs.status())
          .map(status -> {
            assertThat(status.totalPut()).isEqualTo(2);
            assertThat(status.size()).isEqualTo(1);
            assertThat(status.waitingPutters()).isZero();
            return status;
          })
          .compose(v -> jobs.poll())
          .map(item -> assertThat(item).isEqualTo("second"));
    })));
  }

  @Test
  void aJoinWaitsAcrossSeveralServerDeadlines(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx, OPTIONS);
      Channel<String> jobs = client.channel("jobs");
      return client.create("jobs", 1).compose(v -> {
        afterRequests(vertx, "join", 4).onSuccess(seen -> vertx.setTimer(WAIT_MS / 4, t -> jobs.close()));
        return jobs.join();
      }).map(v -> assertThat(jobs.isFinished()).isTrue());
    })));
  }

  @Test
  void aPutAllStoppedAtItsDeadlineSendsTheRestAgainInOrder(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      List<Sent> sent = recordOutbound(vertx);
      ChannelClient client = ChannelClient.create(vertx, OPTIONS);
      Channel<String> jobs = client.channel("jobs");
      List<String> items = List.of("a", "b", "c", "d", "e");
      return client.create("jobs", 2).compose(v -> {
        Future<Void> thirdSent = afterRequests(vertx, "put-all", 3);
        Future<Integer> putAll = jobs.putAll(items);
        return thirdSent
            .compose(seen -> takeAll(jobs, items.size()))
            .map(taken -> assertThat(taken).isEqualTo(items))
            .compose(v2 -> putAll);
      }).map(enqueued -> {
        assertThat(enqueued).isEqualTo(5);
        // the first request enqueued a and b, then stopped at its deadline; the rest went again
        List<Sent> putAlls = sent.stream().filter(message -> "put-all".equals(message.action())).toList();
        assertThat(putAlls.get(0).body()).hasToString("[\"a\",\"b\",\"c\",\"d\",\"e\"]");
        assertThat(putAlls.get(1).body()).hasToString("[\"c\",\"d\",\"e\"]");
        return enqueued;
      });
    })));
  }

  @Test
  void aTimedTakeGivesTheHostItsOwnTimeoutAndFailsAtIt(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      List<Sent> sent = recordOutbound(vertx);
      ChannelClient client = ChannelClient.create(vertx, OPTIONS);
      Channel<String> jobs = client.channel("jobs");
      return client.create("jobs", 1)
          .compose(v -> failsWith(jobs.take(Duration.ofMillis(3 * WAIT_MS)), ChannelTimeoutException.class))
          .map(timeout -> {
            assertThat(timeout.getMessage()).startsWith("TIMEOUT: channel 'jobs'").contains("600 ms");
            assertThat(sent.stream().filter(message -> "take".equals(message.action())))
                .extracting(Sent::timeout).containsExactly("600");
            return timeout;
          });
    })));
  }

  private static Future<List<String>> takeAll(Channel<String> channel, int count) {
    Future<List<String>> taken = Future.succeededFuture(new java.util.ArrayList<>());
    for (int i = 0; i < count; i++) {
      taken = taken.compose(list -> channel.take().map(item -> {
        list.add(item);
        return list;
      }));
    }
    return taken;
  }
}
