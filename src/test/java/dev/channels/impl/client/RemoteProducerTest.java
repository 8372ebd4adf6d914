package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.failsWith;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static dev.channels.impl.client.ClientTesting.recordOutbound;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelLeaseLostException;
import dev.channels.ChannelOptions;
import dev.channels.ChannelProducer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A remote producer's lease: renewed by the client while the producer is attached, so the channel
 * stays open past many lease times; a lease the host no longer holds is reported by {@link
 * ChannelProducer#detached()}, not renewed in silence.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class RemoteProducerTest {

  private static final JsonObject SHORT_LEASES = new JsonObject().put("leaseMs", 300);

  private static Future<Channel<String>> closingChannel(ChannelClient client) {
    return client.create("jobs", new ChannelOptions().setCloseWhenDetached(true)).map(status -> client.channel("jobs"));
  }

  private static Future<Void> after(Vertx vertx, long ms) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(ms, id -> elapsed.complete());
    return elapsed.future();
  }

  @Test
  void theClientRenewsTheLeaseSoTheChannelStaysOpenPastManyLeaseTimes(Vertx vertx, VertxTestContext test) {
    List<ClientTesting.Sent> sent = recordOutbound(vertx);
    deployHost(vertx, SHORT_LEASES).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      return closingChannel(client).compose(jobs -> jobs.attach()
          .compose(producer -> after(vertx, 1_200) // four lease times
              .compose(v -> jobs.status())
              .map(status -> {
                assertThat(status.closed()).as("the lease was renewed").isFalse();
                assertThat(status.producers()).isEqualTo(1);
                assertThat(sent.stream().filter(message -> "renew".equals(message.action())).count())
                    .as("renewed every leaseMs/3").isBetween(3L, 13L);
                assertThat(producer.detached().isComplete()).isFalse();
                return status;
              })
              .compose(v -> producer.close())
              .compose(v -> producer.detached())
              .compose(v -> jobs.status())
              .map(status -> assertThat(status.closed()).isTrue())));
    })));
  }

  @Test
  void aLeaseTheHostNoLongerHoldsIsReportedByDetached(Vertx vertx, VertxTestContext test) {
    List<ClientTesting.Sent> sent = recordOutbound(vertx);
    deployHost(vertx, SHORT_LEASES).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      return closingChannel(client).compose(jobs -> jobs.attach().compose(producer -> {
        // the host's answer to the attach: its lease, which somebody else now detaches behind the producer's back
        String lease = sent.stream().filter(message -> message.body() instanceof JsonObject json && json.containsKey("leaseMs"))
            .map(message -> ((JsonObject) message.body()).getString("lease")).findFirst().orElseThrow();
        return vertx.eventBus().request("channels.jobs", new JsonObject().put("lease", lease),
                new DeliveryOptions().addHeader("action", "detach"))
            .compose(v -> failsWith(producer.detached(), ChannelLeaseLostException.class))
            .map(lost -> assertThat(lost.getMessage()).contains("channel 'jobs'").contains(lease).contains("NOT_FOUND"))
            .compose(v -> producer.close()) // harmless: nothing to detach
            .compose(v -> jobs.status())
            .map(status -> {
              assertThat(status.closed()).as("its last producer was detached").isTrue();
              assertThat(status.producers()).isZero();
              return status;
            });
      }));
    })));
  }

  @Test
  void aDeletedChannelsProducerLosesItsLease(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, SHORT_LEASES).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      return closingChannel(client).compose(jobs -> jobs.attach().compose(producer -> client.delete("jobs")
          .compose(v -> failsWith(producer.detached(), ChannelLeaseLostException.class))
          .compose(v -> producer.close())));
    })));
  }
}
