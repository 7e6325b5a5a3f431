package io.slipway.build.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.kit.catalog.CatalogEvent;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeletedScopeTest {

  private static final String T = "tabcdefghijk";
  private static final String P = "pabcdefghijk";
  private static final String A = "aabcdefghijk";
  private final Path data = Path.of("/data");

  @Test
  void anAppCoversItsRowsItsRepositoryAndItsImagesOnly() {
    DeletedScope app = DeletedScope.of(new CatalogEvent(3, "app.deleted", T, P, A));
    assertThat(app.column()).isEqualTo("app_id");
    assertThat(app.id()).isEqualTo(A);
    assertThat(app.repositories(data)).isEqualTo(Path.of("/data", T, P, A + ".git"));
    assertThat(app.owns("localhost/img", "localhost/img/" + T + "/" + P + "/" + A + ":1a2b"))
        .isTrue();
    assertThat(app.owns("localhost/img", "localhost/img/" + T + "/" + P + "/" + A + "x:1a2b"))
        .isFalse();
    assertThat(app.owns("localhost/img", "localhost/other/" + T + "/" + P + "/" + A + ":1"))
        .isFalse();
  }

  @Test
  void aProjectOrATenantCoversEverythingUnderIt() {
    DeletedScope project = DeletedScope.of(new CatalogEvent(4, "project.deleted", T, P, null));
    assertThat(project.column()).isEqualTo("project_id");
    assertThat(project.repositories(data)).isEqualTo(Path.of("/data", T, P));
    DeletedScope tenant = DeletedScope.of(new CatalogEvent(5, "tenant.deleted", T, null, null));
    assertThat(tenant.column()).isEqualTo("tenant_id");
    assertThat(tenant.repositories(data)).isEqualTo(Path.of("/data", T));
    // only a whole tenant takes its build sandbox with it
    assertThat(tenant.tenant()).isTrue();
    assertThat(project.tenant()).isFalse();
    assertThat(DeletedScope.of(new CatalogEvent(6, "app.deleted", T, P, A)).tenant()).isFalse();
    String image = "localhost/img/" + T + "/" + P + "/" + A + ":1";
    assertThat(project.owns("localhost/img", image)).isTrue();
    assertThat(tenant.owns("localhost/img", image)).isTrue();
    assertThat(tenant.owns("localhost/img", "localhost/img/tzzzzzzzzzzz/" + P + "/" + A + ":1"))
        .isFalse();
  }

  @Test
  void imagesAreListedAndRemovedWithBuildah() {
    assertThat(LocalImages.listArguments())
        .containsExactly("buildah", "images", "--noheading", "--format", "{{.Name}}:{{.Tag}}");
    assertThat(LocalImages.removeArguments(Set.of("localhost/img/x:1")))
        .containsExactly("buildah", "rmi", "-f", "localhost/img/x:1");
  }
}
