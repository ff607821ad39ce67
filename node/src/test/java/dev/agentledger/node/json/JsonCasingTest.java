package dev.agentledger.node.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonCasingTest {
  @Test
  void namesEverySnakeCaseFieldByPathAndSkipsTheKeysOfDataMaps() throws Exception {
    var json =
        StrictJson.mapper()
            .readTree(
                "{\"okName\":1,\"bad_name\":{\"inner_key\":2},\"list\":[{\"x_y\":3}],"
                    + "\"groups\":{\"verify-N-N\":{\"nested_bad\":1}},\"Upper\":0}");
    assertThat(JsonCasing.offences(json, Set.of("groups")))
        .containsExactly(
            "bad_name", "bad_name.inner_key", "list[0].x_y", "groups.*.nested_bad", "Upper");
  }
}
