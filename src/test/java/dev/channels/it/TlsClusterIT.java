package dev.channels.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelStatus;
import dev.channels.app.ClusterSetup;
import io.vertx.core.Future;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event bus over TLS: nodes with the cluster's material exchange items; a member with other
 * material, or none, joins Hazelcast (its traffic is not the event bus's) but gets nothing across.
 * The channel {@code jobs} lives on one node only (its configuration's), so that every client's
 * requests go to that node whatever the cluster's directory does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsClusterIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int ITEMS = 10;

  @Test
  void membersWithTheMaterialExchangeItemsAndMembersWithoutItGetNothing(@TempDir Path dir) throws Exception {
    ClusterSetup.Tls ours = material(SelfSignedCertificate.create("localhost"));
    ClusterSetup.Tls others = material(SelfSignedCertificate.create("localhost"));
    Path withJobs = Files.writeString(dir.resolve("with-jobs.json"),
        "{\"address\": \"channels\", \"channels\": [{\"name\": \"jobs\", \"capacity\": 100}]}");
    Path withoutChannels = Files.writeString(dir.resolve("without-channels.json"),
        "{\"address\": \"channels\", \"channels\": []}");

    try (TestCluster cluster = new TestCluster()) {
      cluster.serve("jobs-host", with(ours, "--conf", withJobs.toString()));
      cluster.serve("other-host", with(ours, "--conf", withoutChannels.toString()));
      ClusterSetup producerSide = cluster.joinHere(ours);
      ClusterSetup consumerSide = cluster.joinHere(ours);

      Channel<String> producer = ChannelClient.create(producerSide.vertx()).channel("jobs", String.class);
      Channel<String> consumer = ChannelClient.create(consumerSide.vertx()).channel("jobs", String.class);
      List<Future<Void>> puts = new ArrayList<>();
      for (int i = 0; i < ITEMS; i++) {
        puts.add(producer.put("item-" + i));
      }
      get(Future.all(puts));
      List<String> taken = new ArrayList<>();
      for (int i = 0; i < ITEMS; i++) {
        taken.add(get(consumer.take(WAIT)));
      }
      assertThat(taken).containsExactly("item-0", "item-1", "item-2", "item-3", "item-4", "item-5", "item-6", "item-7",
          "item-8", "item-9");

      ClusterSetup otherMaterial = cluster.joinHere(others);
      ClusterSetup noMaterial = cluster.joinHere(null);
      assertThat(otherMaterial.members()).isEqualTo(6);
      // an outsider's requests fail after its short deadlines, its puts and takes alike
      ChannelClientOptions impatient = new ChannelClientOptions().setWaitTimeoutMs(2_000).setReplyMarginMs(1_000)
          .setUnavailableTimeoutMs(3_000);
      List<Future<?>> attempts = new ArrayList<>();
      for (ClusterSetup outsider : List.of(otherMaterial, noMaterial)) {
        Channel<String> intruder = ChannelClient.create(outsider.vertx(), impatient).channel("jobs", String.class);
        attempts.add(intruder.put("intruder"));
        attempts.add(intruder.take());
      }
      for (Future<?> attempt : attempts) {
        assertThat(failure(attempt)).as("an outsider's request").isNotNull();
      }

      // nothing of theirs reached the channel
      producer.put("last").toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(get(consumer.take(WAIT))).isEqualTo("last");
      ChannelStatus status = get(consumer.status());
      assertThat(status.totalPut()).isEqualTo(ITEMS + 1);
      assertThat(status.size()).isZero();
    }
  }

  private static ClusterSetup.Tls material(SelfSignedCertificate certificate) {
    // each node presents the certificate and trusts it: the cluster's one shared identity
    Path cert = Path.of(certificate.certificatePath());
    return new ClusterSetup.Tls(Path.of(certificate.privateKeyPath()), cert, cert);
  }

  private static String[] with(ClusterSetup.Tls tls, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--tls-key", tls.key().toString(), "--tls-cert", tls.cert().toString(), "--tls-trust",
        tls.trust().toString()));
    return all.toArray(String[]::new);
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The failure the future ends with (bounded wait); null if it succeeded. */
  private static Throwable failure(Future<?> future) throws Exception {
    CompletableFuture<?> outcome = future.toCompletionStage().toCompletableFuture();
    try {
      outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException failed) {
      return failed.getCause();
    }
  }
}
