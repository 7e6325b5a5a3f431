package io.slipway.cli;

import io.slipway.cli.api.ApiException;
import io.slipway.cli.api.AppRef;
import io.slipway.cli.api.generated.RuntimeBridgeClient;
import io.slipway.cli.api.generated.TenantServiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** tenants, projects and apps: list, create, delete; apps info. */
final class CatalogCommands {

  private CatalogCommands() {}

  @Command(
      name = "tenants",
      mixinStandardHelpOptions = true,
      description = "Your tenants.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli tenants list",
        "  slipway-cli tenants create acme --display-name 'Acme'"
      })
  static final class Tenants {
    private final Cli cli;

    Tenants(Cli cli) {
      this.cli = cli;
    }

    @Command(name = "list", description = "The tenants you are a member of, with your role.")
    int list() {
      cli.output().list(cli.tenants().tenants(), "name", "displayName", "role");
      return Exit.OK;
    }

    @Command(name = "create", description = "Create a tenant; you become its tenant-admin.")
    int create(
        @Parameters(paramLabel = "NAME") String name,
        @Option(names = "--display-name") String displayName) {
      TenantServiceClient.TenantView tenant = cli.tenants().createTenant(name, displayName);
      cli.output().message("Created tenant " + tenant.name(), tenant);
      return Exit.OK;
    }

    @Command(name = "delete", description = "Delete a tenant (it must have no projects).")
    int delete(@Parameters(paramLabel = "NAME") String name) {
      cli.tenants().deleteTenant(name);
      cli.output().message("Deleted tenant " + name, java.util.Map.of("deleted", name));
      return Exit.OK;
    }
  }

  @Command(
      name = "projects",
      mixinStandardHelpOptions = true,
      description = "A tenant's projects.",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli projects list --tenant acme", "  slipway-cli projects create web"})
  static final class Projects {
    private final Cli cli;

    Projects(Cli cli) {
      this.cli = cli;
    }

    @Command(name = "list", description = "The tenant's projects.")
    int list(@Mixin Target target) {
      cli.output().list(cli.tenants().projects(target.tenant(cli)), "name", "displayName");
      return Exit.OK;
    }

    @Command(name = "create", description = "Create a project (developer role).")
    int create(
        @Mixin Target target,
        @Parameters(paramLabel = "NAME") String name,
        @Option(names = "--display-name") String displayName) {
      TenantServiceClient.ProjectView project =
          cli.tenants().createProject(target.tenant(cli), name, displayName);
      cli.output().message("Created project " + project.tenant() + "/" + project.name(), project);
      return Exit.OK;
    }

    @Command(name = "delete", description = "Delete a project (it must have no apps).")
    int delete(@Mixin Target target, @Parameters(paramLabel = "NAME") String name) {
      String tenant = target.tenant(cli);
      cli.tenants().deleteProject(tenant, name);
      cli.output()
          .message("Deleted project " + tenant + "/" + name, java.util.Map.of("deleted", name));
      return Exit.OK;
    }
  }

  @Command(
      name = "apps",
      mixinStandardHelpOptions = true,
      description = "A project's apps.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli apps list",
        "  slipway-cli apps create site",
        "  slipway-cli apps create api --image docker.io/library/nginx:1.27",
        "  slipway-cli apps info --app site -o yaml"
      })
  static final class Apps {
    private final Cli cli;

    /** An app as the catalog knows it, with where it runs when runtime-bridge could tell. */
    record Info(
        String tenant,
        String project,
        String name,
        String source,
        String sourceRef,
        String createdBy,
        String url,
        Integer liveRevision,
        Boolean stopped,
        Integer replicas) {}

    Apps(Cli cli) {
      this.cli = cli;
    }

    @Command(name = "list", description = "The project's apps.")
    int list(@Mixin Target target) {
      String tenant = target.tenant(cli);
      cli.output()
          .list(cli.tenants().apps(tenant, target.project(cli)), "name", "source", "sourceRef");
      return Exit.OK;
    }

    @Command(name = "create", description = "Create an app (developer role).")
    int create(
        @Mixin Target target,
        @Parameters(paramLabel = "NAME") String name,
        @Option(names = "--image", description = "Run this image instead of hosted git")
            String image,
        @Option(names = "--git", description = "Build from this external git URL") String git) {
      String source = image != null ? "image" : git != null ? "external-git" : null;
      String ref = image != null ? image : git;
      TenantServiceClient.AppView app =
          cli.tenants().createApp(target.tenant(cli), target.project(cli), name, source, ref);
      cli.output()
          .message("Created app " + app.tenant() + "/" + app.project() + "/" + app.name(), app);
      return Exit.OK;
    }

    @Command(name = "delete", description = "Delete an app (it must hold no reservations).")
    int delete(@Mixin Target target, @Parameters(paramLabel = "NAME") String name) {
      String tenant = target.tenant(cli);
      String project = target.project(cli);
      cli.tenants().deleteApp(tenant, project, name);
      cli.output()
          .message(
              "Deleted app " + tenant + "/" + project + "/" + name,
              java.util.Map.of("deleted", name));
      return Exit.OK;
    }

    @Command(name = "info", description = "An app: its source, URL, live revision and replicas.")
    int info(@Mixin Target target) {
      AppRef ref = target.app(cli);
      TenantServiceClient.AppView app = cli.tenants().app(ref.tenant(), ref.project(), ref.app());
      RuntimeBridgeClient.AppStatusView status = null;
      try {
        status = cli.runtime().status(ref);
      } catch (ApiException e) {
        if (e.status() != 404) {
          throw e;
        }
      }
      Integer replicas = null;
      if (status != null && status.liveRevision() != null) {
        int live = status.liveRevision();
        replicas =
            status.revisions().stream()
                .filter(r -> r.revision() == live)
                .map(RuntimeBridgeClient.RevisionView::replicas)
                .findFirst()
                .orElse(null);
      }
      Info info =
          new Info(
              app.tenant(),
              app.project(),
              app.name(),
              app.source(),
              app.sourceRef(),
              app.createdBy(),
              status == null ? null : status.url(),
              status == null ? null : status.liveRevision(),
              status == null ? null : status.stopped(),
              replicas);
      cli.output()
          .one(
              info,
              "tenant",
              "project",
              "name",
              "source",
              "sourceRef",
              "url",
              "liveRevision",
              "stopped",
              "replicas");
      return Exit.OK;
    }
  }
}
