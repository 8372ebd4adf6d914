package dev.channels.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSetupTest {

  @Test
  void theEmbeddedConfigurationIsTheShippedConfFile() throws Exception {
    try (InputStream embedded = ClusterSetup.class.getClassLoader()
        .getResourceAsStream(ClusterSetup.DEFAULT_CONFIG_RESOURCE)) {
      assertThat(embedded).isNotNull();
      assertThat(new String(embedded.readAllBytes())).isEqualTo(Files.readString(Path.of("conf/cluster.xml")));
    }
  }

  @Test
  void theDefaultJoinsOnTheLoopbackOnlyAndFindsAFailedMemberInSeconds() throws Exception {
    Config config = ClusterSetup.hazelcastConfig(ClusterSetup.Options.defaults());
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
    // the portless loopback entry, around 5701
    assertThat(join.getTcpIpConfig().getMembers()).first().isEqualTo("127.0.0.1:" + (5701 - ClusterSetup.PORT_WINDOW));
    assertThat(join.getTcpIpConfig().getMembers()).hasSize(2 * ClusterSetup.PORT_WINDOW + 1)
        .contains("127.0.0.1:5706");
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("12");
    assertThat(config.getMultiMapConfig("__vertx.subs").getBackupCount()).isEqualTo(1);
    assertThat(config.getMultiMapConfig("__vertx.subs").getValueCollectionType().name()).isEqualTo("SET");
    assertThat(config.getMapConfigs()).containsKeys("__vertx.haInfo", "__vertx.nodeInfo");
  }

  @Test
  void theOptionsOverrideTheFile() throws Exception {
    Config config = ClusterSetup.hazelcastConfig(ClusterSetup.Options.defaults().withClusterName("it-1")
        .withHazelcastPort(17002).withMembers(List.of("10.0.0.5:5701", "10.0.0.6")));
    assertThat(config.getClusterName()).isEqualTo("it-1");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(17002);
    List<String> members = config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers();
    assertThat(members).startsWith("10.0.0.5:5701", "10.0.0.6:" + (17002 - ClusterSetup.PORT_WINDOW))
        .contains("10.0.0.6:17001", "10.0.0.6:17003").hasSize(2 + 2 * ClusterSetup.PORT_WINDOW);
  }

  @Test
  void anotherFileIsReadAsItIs(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("other.xml");
    Files.writeString(file, """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <cluster-name>other</cluster-name>
          <network><port auto-increment="false">6000</port>
            <join><multicast enabled="false"/><tcp-ip enabled="true"><member>10.1.1.1</member></tcp-ip></join>
          </network>
        </hazelcast>
        """);
    Config config = ClusterSetup.hazelcastConfig(ClusterSetup.Options.defaults().withConfigFile(file));
    assertThat(config.getClusterName()).isEqualTo("other");
    // no auto-increment: a portless entry is Hazelcast's to read (this node's port)
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("10.1.1.1");
    assertThat(new XmlConfigBuilder(Files.newInputStream(file)).build().getClusterName()).isEqualTo("other");
  }

  @Test
  void membersWithPortsOrPortRangesAreKept() {
    assertThat(ClusterSetup.aroundPort(List.of("a:1", "b:5701-5703", "[::1]:5701"), 17001))
        .containsExactly("a:1", "b:5701-5703", "[::1]:5701");
    assertThat(ClusterSetup.aroundPort(List.of("a, b:2"), 3)).containsExactly("a:1", "a:2", "a:3", "a:4", "a:5", "a:6",
        "a:7", "a:8", "b:2");
  }

  @Test
  void tlsTurnsOnSslWithTheClientsCertificateRequired() {
    VertxOptions options = ClusterSetup.vertxOptions(ClusterSetup.Options.defaults().withClusterHost("10.0.0.5")
        .withClusterPort(17100).withTls(new ClusterSetup.Tls(Path.of("k.pem"), Path.of("c.pem"), Path.of("t.pem"))));
    assertThat(options.getEventBusOptions().getHost()).isEqualTo("10.0.0.5");
    assertThat(options.getEventBusOptions().getPort()).isEqualTo(17100);
    assertThat(options.getEventBusOptions().isSsl()).isTrue();
    assertThat(options.getEventBusOptions().getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(ClusterSetup.vertxOptions(ClusterSetup.Options.defaults()).getEventBusOptions().isSsl()).isFalse();
  }
}
