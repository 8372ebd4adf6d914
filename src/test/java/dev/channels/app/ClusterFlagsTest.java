package dev.channels.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterFlagsTest {

  private static ClusterSetup.Options parse(String... argv) {
    return ClusterFlags.parse(Args.parse(argv, Main.OPTIONS, Main.FLAGS, "serve"));
  }

  @Test
  void withoutTheClusterFlagThereIsNoClusterAndNoClusterOption() {
    assertThat(parse("serve")).isNull();
    assertThatThrownBy(() -> parse("serve", "--hazelcast-port", "17001"))
        .hasMessage("option --hazelcast-port needs --cluster");
  }

  @Test
  void theClusterFlagAloneKeepsTheFileAndTheDefaults() {
    assertThat(parse("serve", "--cluster")).isEqualTo(ClusterSetup.Options.defaults());
  }

  @Test
  void eachOptionReachesTheClusterOptions() {
    ClusterSetup.Options options = parse("serve", "--cluster", "--cluster-name", "prod", "--cluster-host", "10.0.0.5",
        "--cluster-port", "17100", "--hazelcast-port", "17001", "--cluster-members", "10.0.0.5,10.0.0.6:5701,node-3");
    assertThat(options).isEqualTo(ClusterSetup.Options.defaults().withClusterName("prod").withClusterHost("10.0.0.5")
        .withClusterPort(17100).withHazelcastPort(17001).withMembers(List.of("10.0.0.5", "10.0.0.6:5701", "node-3")));
  }

  @Test
  void badValuesAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> parse("serve", "--cluster", "--hazelcast-port", "70000"))
        .hasMessage("option --hazelcast-port must be a port from 1 to 65535, not '70000'");
    assertThatThrownBy(() -> parse("serve", "--cluster", "--cluster-port", "x"))
        .hasMessage("option --cluster-port must be a port from 1 to 65535, not 'x'");
    assertThatThrownBy(() -> parse("serve", "--cluster", "--cluster-members", "a,,b"))
        .hasMessage("option --cluster-members must be HOST[:PORT],..., not 'a,,b'");
    assertThatThrownBy(() -> parse("serve", "--cluster", "--cluster-members", "a:0"))
        .hasMessage("option --cluster-members must be a port from 1 to 65535, not '0'");
    assertThatThrownBy(() -> parse("serve", "--cluster", "--cluster-host", "a b"))
        .hasMessage("option --cluster-host must be a host name or address, not 'a b'");
    assertThatThrownBy(() -> parse("serve", "--cluster", "--cluster-name", " "))
        .hasMessage("option --cluster-name must not be empty");
    assertThatThrownBy(() -> parse("serve", "--cluster", "--cluster-config", "/no/such.xml"))
        .hasMessage("option --cluster-config: no readable file '/no/such.xml'");
  }

  @Test
  void tlsNeedsItsThreeFiles(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("key.pem"), "k");
    Path cert = Files.writeString(dir.resolve("cert.pem"), "c");
    Path trust = Files.writeString(dir.resolve("trust.pem"), "t");
    assertThat(parse("serve", "--cluster", "--tls-key", key.toString(), "--tls-cert", cert.toString(), "--tls-trust",
        trust.toString()).tls()).isEqualTo(new ClusterSetup.Tls(key, cert, trust));
    assertThatThrownBy(() -> parse("serve", "--cluster", "--tls-key", key.toString(), "--tls-cert", cert.toString()))
        .hasMessage("options --tls-key, --tls-cert and --tls-trust go together (missing: --tls-trust)");
    assertThatThrownBy(() -> parse("serve", "--cluster", "--tls-key", key.toString(), "--tls-cert", "nope.pem",
        "--tls-trust", trust.toString())).hasMessage("option --tls-cert: no readable file 'nope.pem'");
  }

  @Test
  void theDemoTakesTheSameClusterOptions() {
    assertThat(ClusterFlags.parse(Args.parse(new String[] {"demo", "--cluster", "--hazelcast-port", "17009"},
        Main.OPTIONS, Main.FLAGS, "serve"))).isEqualTo(ClusterSetup.Options.defaults().withHazelcastPort(17009));
  }
}
