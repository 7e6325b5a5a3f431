package io.slipway.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.vm.VmSettings;
import io.slipway.runtime.vm.VmSpec;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every VirtualMachine the renderer makes is valid under KubeVirt's API schema of {@value
 * KubevirtApiSchema#VERSION} ({@link KubevirtApiSchema}: fetched with npm, closed to unknown
 * fields), and a field KubeVirt does not know fails the check.
 */
class VirtualMachineSchemaTest {

  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static Schema schema;

  @BeforeAll
  static void loadSchema() {
    String text = KUBERNETES.asJson(KubevirtApiSchema.of("V1VirtualMachine"));
    schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text);
  }

  static Stream<GenericKubernetesResource> rendered() {
    AppRef ref = Specs.ref("acme", "shop", "db");
    var renderer = new VirtualMachineRenderer(256, 30);
    return Stream.of(
        renderer.virtualMachine(
            new VmSpec(ref, 2, 1024, VmSettings.DEBIAN_IMAGE, "#cloud-config\n", List.of(22, 80)),
            true,
            OptionalInt.of(80)),
        renderer.virtualMachine(
            new VmSpec(ref, 1, 128, VmSettings.DEBIAN_IMAGE, "", List.of()),
            false,
            OptionalInt.empty()),
        renderer.virtualMachine(
            new VmSpec(ref, 8, 16_384, VmSettings.DEBIAN_IMAGE, "", List.of(5432)),
            true,
            OptionalInt.empty()));
  }

  @ParameterizedTest
  @MethodSource("rendered")
  void everyRenderedVirtualMachineIsValidUnderKubevirtsSchema(GenericKubernetesResource vm) {
    assertThat(errors(json(vm))).isEmpty();
  }

  @Test
  void aFieldKubevirtDoesNotKnowFailsTheCheck() {
    GenericKubernetesResource vm = rendered().findFirst().orElseThrow();
    ObjectNode unknown = (ObjectNode) json(vm);
    ((ObjectNode) unknown.at("/spec/template/spec/domain/cpu")).put("sockettes", 2);

    assertThat(errors(unknown)).anySatisfy(e -> assertThat(e).contains("sockettes"));
  }

  @Test
  void aValueOfTheWrongTypeFailsTheCheck() {
    GenericKubernetesResource vm = rendered().findFirst().orElseThrow();
    ObjectNode wrong = (ObjectNode) json(vm);
    ((ObjectNode) wrong.at("/spec/template/spec/domain/cpu")).put("cores", "two");

    assertThat(errors(wrong)).anySatisfy(e -> assertThat(e).contains("cores"));
  }

  @Test
  void theSchemaIsKubevirtsNotAnEmptyOne() {
    GenericKubernetesResource vm = rendered().findFirst().orElseThrow();
    ObjectNode missing = (ObjectNode) json(vm);
    // a VirtualMachine without its template is refused by KubeVirt's schema
    ((ObjectNode) missing.at("/spec")).remove("template");

    assertThat(errors(missing)).anySatisfy(e -> assertThat(e).contains("template"));
  }

  private static JsonNode json(GenericKubernetesResource vm) {
    return JSON.readTree(KUBERNETES.asJson(vm));
  }

  private static List<String> errors(JsonNode vm) {
    return schema.validate(vm).stream().map(VirtualMachineSchemaTest::describe).toList();
  }

  private static String describe(Error error) {
    return error.getInstanceLocation() + ": " + error.getMessage();
  }
}
