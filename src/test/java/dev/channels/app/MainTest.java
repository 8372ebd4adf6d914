package dev.channels.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.channels.host.HostConfig;
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
    assertThat(config.channels()).containsEntry("jobs", 100);
  }

  @Test
  void aConfigurationFileIsReadFromItsPath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("host.json");
    Files.writeString(file, "{\"address\": \"work\"}");
    assertThat(Main.loadConfig(file.toString())).isEqualTo(new JsonObject().put("address", "work"));
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
