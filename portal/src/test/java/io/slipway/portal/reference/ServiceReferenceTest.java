package io.slipway.portal.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.portal.reference.ServiceReference.Group;
import io.slipway.portal.reference.ServiceReference.Operation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ServiceReferenceTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void operationsAreGroupedByTagInTheDocumentsOrderWithTheirSummaries() {
    ServiceReference reference =
        ServiceReference.of(
            "runtime-bridge",
            "http://127.0.0.1:8083",
            JSON.readTree(
                """
                {"info": {"title": "Slipway runtime-bridge API", "description": "Deploys."},
                 "paths": {
                   "/api/v1/a/{app}": {
                     "parameters": [{"name": "app", "in": "path"}],
                     "get": {"tags": ["deployments"], "summary": "The app's deployment"},
                     "delete": {"tags": ["deployments"], "operationId": "deleteApp_1"}
                   },
                   "/api/v1/a/{app}/scale": {
                     "post": {"tags": ["scale-controller"], "summary": "Scale the app"}
                   },
                   "/api/v1/untagged": {"get": {"summary": "No tag"}},
                   "/api/v1/internal/events": {"get": {"tags": ["events"], "operationId": "events"}}
                 }}
                """));

    assertThat(reference.title()).isEqualTo("Slipway runtime-bridge API");
    assertThat(reference.description()).isEqualTo("Deploys.");
    assertThat(reference.groups())
        .containsExactly(
            new Group(
                "deployments",
                java.util.List.of(
                    new Operation("GET", "/api/v1/a/{app}", "The app's deployment"),
                    new Operation("DELETE", "/api/v1/a/{app}", "Delete app"))),
            new Group(
                "scale",
                java.util.List.of(new Operation("POST", "/api/v1/a/{app}/scale", "Scale the app"))),
            new Group(
                "other", java.util.List.of(new Operation("GET", "/api/v1/untagged", "No tag"))),
            new Group(
                "events",
                java.util.List.of(
                    new Operation(
                        "GET",
                        "/api/v1/internal/events",
                        "(for the platform's services only) Events"))));
    assertThat(reference.operationCount()).isEqualTo(5);
    assertThat(reference.documentUrl()).isEqualTo("http://127.0.0.1:8083/v3/api-docs");
    assertThat(reference.error()).isNull();
  }

  @Test
  void aServiceThatDidNotAnswerKeepsItsNameAndTheReason() {
    ServiceReference down =
        ServiceReference.unavailable(
            "build-service", "http://127.0.0.1:8082", "build-service cannot be reached right now");

    assertThat(down.title()).isEqualTo("build-service");
    assertThat(down.operationCount()).isZero();
    assertThat(down.error()).isEqualTo("build-service cannot be reached right now");
  }
}
