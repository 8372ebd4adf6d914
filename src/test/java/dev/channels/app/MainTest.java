package dev.channels.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.channels.app.bench.BenchSettings;
import dev.channels.impl.host.HostConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @Test
  void theEmbeddedConfigurationIsTheShippedConfFileAndIsValid() throws Exception {
    JsonObject embedded = Main.loadConfig(null);
    assertThat(embedded).isEqualTo(new JsonObject(Files.readString(Path.of("conf/config.json"))));
    HostConfig config = HostConfig.from(embedded);
    assertThat(config.channels().get("jobs").capacity()).isEqualTo(100);
  }

  @Test
  void aConfigurationFileIsReadFromItsPath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("host.json");
    Files.writeString(file, "{\"address\": \"work\"}");
    assertThat(Main.loadConfig(file.toString())).isEqualTo(new JsonObject().put("address", "work"));
  }

  @Test
  void benchOptionsAreCheckedWithTheirName() {
    assertThat(Main.benchSettings(Args.parse(new String[] {"bench"}, Main.OPTIONS, "serve")))
        .isEqualTo(BenchSettings.defaults());
    assertThat(Main.benchSettings(Args.parse(new String[] {"bench", "--seconds", "0.2", "--warmup", "0"}, Main.OPTIONS,
        "serve")).seconds()).isEqualTo(0.2);
    assertThatThrownBy(() -> Main.benchSettings(Args.parse(new String[] {"bench", "--seconds", "0"}, Main.OPTIONS, "serve")))
        .hasMessage("option --seconds must be a number > 0, not '0'");
    assertThatThrownBy(() -> Main.benchSettings(Args.parse(new String[] {"bench", "--consumers", "x"}, Main.OPTIONS, "serve")))
        .hasMessage("option --consumers must be an integer >= 1, not 'x'");
    assertThatThrownBy(() -> Main.benchSettings(Args.parse(new String[] {"bench", "--batch", "20000"}, Main.OPTIONS, "serve")))
        .hasMessage("batch must be from 1 to 10000, not 20000");
    assertThat(Main.benchSettings(Args.parse(new String[] {"bench", "--latency-takes", "1"}, Main.OPTIONS, "serve"))
        .latencyTakes()).isEqualTo(1);
    assertThatThrownBy(() -> Main.benchSettings(Args.parse(new String[] {"bench", "--latency-takes", "0"}, Main.OPTIONS,
        "serve"))).hasMessage("option --latency-takes must be an integer >= 1, not '0'");
    assertThat(Main.benchSettings(Args.parse(new String[] {"bench", "--rounds", "5"}, Main.OPTIONS, "serve"))
        .rounds()).isEqualTo(5);
    assertThatThrownBy(() -> Args.parse(new String[] {"bench", "--workers", "2"}, Main.OPTIONS, "serve"))
        .hasMessageContaining("'--workers'");
  }

  @Test
  void benchClusterIsAValueLessFlagWithItsOwnDefaults() {
    Args args = Args.parse(new String[] {"bench", "--cluster", "--rounds", "2"}, Main.OPTIONS, Main.FLAGS, "serve");
    assertThat(args.flag("cluster")).isTrue();
    assertThat(Main.benchSettings(args)).isEqualTo(new BenchSettings(4, 4, 2, 3, 1000, 100, 4, 2));
    assertThat(Args.parse(new String[] {"bench", "--seconds", "1", "--cluster"}, Main.OPTIONS, Main.FLAGS, "serve")
        .flag("cluster")).isTrue();
    assertThat(Args.parse(new String[] {"bench"}, Main.OPTIONS, Main.FLAGS, "serve").flag("cluster")).isFalse();
    assertThatThrownBy(() -> Args.parse(new String[] {"help", "--cluster"}, Main.OPTIONS, Main.FLAGS, "serve"))
        .hasMessageContaining("'--cluster'");
  }

  @Test
  void unknownCommandsAndOptionsAreRefusedByName() {
    Map<String, Set<String>> options = Map.of("serve", Set.of("conf"));
    assertThat(Args.parse(new String[] {"--conf", "x.json"}, options, "serve").options()).containsEntry("conf", "x.json");
    assertThatThrownBy(() -> Args.parse(new String[] {"srve"}, options, "serve")).hasMessageContaining("'srve'");
    assertThatThrownBy(() -> Args.parse(new String[] {"--cnf", "x"}, options, "serve")).hasMessageContaining("'--cnf'");
    assertThatThrownBy(() -> Args.parse(new String[] {"--conf"}, options, "serve")).hasMessageContaining("needs a value");
  }
}
