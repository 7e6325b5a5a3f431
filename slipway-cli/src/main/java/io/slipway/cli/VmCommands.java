package io.slipway.cli;

import io.slipway.cli.api.ApiException;
import io.slipway.cli.api.AppRef;
import io.slipway.cli.api.generated.RuntimeBridgeClient.VmRequest;
import io.slipway.cli.api.generated.RuntimeBridgeClient.VmView;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** vm: virtual machines, apps of their own kind (docs/vms.md). */
final class VmCommands {

  private VmCommands() {}

  private static final String[] VIEW = {
    "state", "desired", "ready", "vcpus", "memoryMib", "image", "ports", "url", "accelerator"
  };

  /** The most user-data runtime-bridge takes; a bigger file is refused before anything is made. */
  private static final int MAX_USER_DATA = 64 * 1024;

  @Command(
      name = "vm",
      mixinStandardHelpOptions = true,
      description = {
        "Virtual machines: an app that is a whole machine, booted from the platform's Debian image,"
            + " its vCPUs and memory held against the project's quota while it runs.",
        "A VM the quota refuses exits with 6 and leaves nothing behind."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli vm create box --vcpus 1 --memory 512 --http-port 8080"
            + " --user-data cloud-config.yaml",
        "  slipway-cli vm info --app box",
        "  slipway-cli vm stop --app box",
        "  slipway-cli vm delete box"
      })
  static final class Vm {
    private final Cli cli;

    Vm(Cli cli) {
      this.cli = cli;
    }

    @Command(
        name = "create",
        description =
            "Create a VM app and boot it (developer role); answered once QEMU runs, before the"
                + " guest is ready (see info).")
    int create(
        @Mixin Target target,
        @Parameters(paramLabel = "NAME", description = "The app's name, also the guest's host name")
            String name,
        @Option(names = "--vcpus", required = true, description = "1 to 8") int vcpus,
        @Option(
                names = "--memory",
                required = true,
                paramLabel = "MIB",
                description = "128 to 16384")
            int memoryMib,
        @Option(
                names = "--port",
                paramLabel = "PORT",
                description = "A guest TCP port reachable on the project's network (repeatable)")
            List<Integer> ports,
        @Option(
                names = "--http-port",
                paramLabel = "PORT",
                description = "The guest port the app's URL routes to (exposed too)")
            Integer httpPort,
        @Option(
                names = "--user-data",
                paramLabel = "FILE",
                description = "A #cloud-config file: hostname, users with SSH keys, runcmd")
            Path userData,
        @Option(
                names = "--data-disk",
                paramLabel = "MIB",
                description =
                    "A persistent data disk of this size, the guest's /data (64 to 65536; kept by"
                        + " delete --keep-data-disk for the app's next VM)")
            Integer dataDiskMib,
        @Option(names = "--image", description = "A VM image (default: the platform's Debian)")
            String image) {
      List<Integer> exposed = new ArrayList<>(ports == null ? List.of() : ports);
      if (httpPort != null && !exposed.contains(httpPort)) {
        exposed.add(httpPort);
      }
      VmRequest request =
          VmRequest.empty()
              .withVcpus(vcpus)
              .withMemoryMib(memoryMib)
              .withImage(image)
              .withUserData(userData == null ? null : read(userData))
              .withPorts(exposed)
              .withHttpPort(httpPort)
              .withDataDiskMib(dataDiskMib);
      String tenant = target.tenant(cli);
      String project = target.project(cli);
      boolean made = makeApp(tenant, project, name);
      AppRef app = new AppRef(tenant, project, name);
      VmView vm;
      try {
        vm = cli.runtime().createVm(app, request);
      } catch (ApiException refused) {
        if (made) {
          // an app with no VM in it is of no use: it goes, so the same name can be tried again
          cli.tenants().deleteApp(tenant, project, name);
        }
        throw refused;
      }
      cli.output().one(vm, VIEW);
      return Exit.OK;
    }

    /**
     * Makes the VM's app; false when it is a VM app already (one whose VM was deleted keeping its
     * data disk, which the new VM then mounts), which a refused VM then leaves as it was.
     */
    private boolean makeApp(String tenant, String project, String name) {
      try {
        cli.tenants().createApp(tenant, project, name, "vm", null);
        return true;
      } catch (ApiException e) {
        if (e.status() == 409 && "vm".equals(cli.tenants().app(tenant, project, name).source())) {
          return false;
        }
        throw e;
      }
    }

    private String read(Path file) {
      Path path = cli.workingDirectory().resolve(file);
      try {
        if (Files.size(path) > MAX_USER_DATA) {
          throw new Failure(
              Exit.USAGE, file + " is larger than the 64 KiB a VM's user-data may be");
        }
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
            .toString();
      } catch (CharacterCodingException e) {
        throw new Failure(Exit.USAGE, file + " is not UTF-8 text");
      } catch (IOException e) {
        throw new Failure(Exit.USAGE, "cannot read " + file + ": " + e.getMessage());
      }
    }

    @Command(
        name = "info",
        description = "The VM: its state, whether the guest is ready, its size, ports and URL.")
    int info(@Mixin Target target) {
      cli.output().one(cli.runtime().vm(target.app(cli)), VIEW);
      return Exit.OK;
    }

    @Command(name = "start", description = "Boot the stopped VM, holding its quota again.")
    int start(@Mixin Target target) {
      cli.output().one(cli.runtime().startVm(target.app(cli)), VIEW);
      return Exit.OK;
    }

    @Command(name = "stop", description = "Power the guest off; its quota is released.")
    int stop(@Mixin Target target) {
      cli.output().one(cli.runtime().stopVm(target.app(cli)), VIEW);
      return Exit.OK;
    }

    @Command(name = "restart", description = "Power it off and boot it again on the same disk.")
    int restart(@Mixin Target target) {
      cli.output().one(cli.runtime().restartVm(target.app(cli)), VIEW);
      return Exit.OK;
    }

    @Command(
        name = "delete",
        description =
            "Delete the VM, its disks and its app; with --keep-data-disk only the VM (powered off"
                + " first), so that the app's next VM (vm create with --data-disk) finds /data.")
    int delete(
        @Mixin Target target,
        @Parameters(paramLabel = "NAME") String name,
        @Option(names = "--keep-data-disk", description = "Keep the app and its data disk")
            boolean keepDataDisk) {
      String tenant = target.tenant(cli);
      String project = target.project(cli);
      cli.runtime().deleteVm(new AppRef(tenant, project, name), keepDataDisk);
      if (!keepDataDisk) {
        cli.tenants().deleteApp(tenant, project, name);
      }
      cli.output()
          .message(
              "Deleted VM "
                  + tenant
                  + "/"
                  + project
                  + "/"
                  + name
                  + (keepDataDisk ? " (its app and data disk are kept)" : ""),
              Map.of("deleted", name));
      return Exit.OK;
    }
  }
}
