package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.cli.api.Json;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vm create, info, stop and delete: what is sent, what is shown, what a refusal leaves. */
class VmCommandsTest extends LoggedInCommandTest {

  private static final String APPS = "/api/v1/tenants/acme/projects/web/apps";
  private static final String VM = APPS + "/box/vm";
  private static final String VIEW =
      "{\"vcpus\":1,\"memoryMib\":512,\"image\":\"localhost/slipway/vm/debian:1\","
          + "\"userDataBytes\":40,\"ports\":[22,8080],\"httpPort\":8080,"
          + "\"url\":\"http://box--web--acme.apps.localhost:8088\",\"desired\":\"RUNNING\","
          + "\"state\":\"RUNNING\",\"accelerator\":\"TCG\",\"ready\":false,"
          + "\"readyAfterSeconds\":null,\"addresses\":[]}";
  private static final String[] PROJECT = {"-t", "acme", "-p", "web"};

  private Run.Result create(String... options) {
    String[] words = {"vm", "create", "box", "--vcpus", "1", "--memory", "512"};
    String[] all = new String[words.length + options.length];
    System.arraycopy(words, 0, all, 0, words.length);
    System.arraycopy(options, 0, all, words.length, options.length);
    return run(all);
  }

  private Run.Result run(String... words) {
    String[] all = new String[words.length + PROJECT.length];
    System.arraycopy(words, 0, all, 0, words.length);
    System.arraycopy(PROJECT, 0, all, words.length, PROJECT.length);
    return cli.run(all);
  }

  @Test
  void createMakesAVmAppThenItsVmWithTheUserDataFile() throws Exception {
    Files.writeString(home.resolve("seed.yaml"), "#cloud-config\nhostname: box\n");
    service.answer(
        "POST " + APPS, 201, "{\"tenant\":\"acme\",\"project\":\"web\",\"name\":\"box\"}");
    service.answer("PUT " + VM, 201, VIEW);

    Run.Result result =
        create(
            "--port",
            "22",
            "--http-port",
            "8080",
            "--user-data",
            home.resolve("seed.yaml").toString());

    assertThat(result.code()).as(result.err()).isZero();
    FakeService.Request app = service.requests.get(service.requests.size() - 2);
    assertThat(app.method() + " " + app.rawPath()).isEqualTo("POST " + APPS);
    assertThat(Json.object(Json.parse(app.body())))
        .containsEntry("name", "box")
        .containsEntry("source", "vm");
    assertThat(Json.object(Json.parse(service.last().body())))
        .containsEntry("vcpus", 1L)
        .containsEntry("memoryMib", 512L)
        .containsEntry("ports", List.of(22L, 8080L))
        .containsEntry("httpPort", 8080L)
        .containsEntry("userData", "#cloud-config\nhostname: box\n");
    assertThat(result.out()).contains("RUNNING", "http://box--web--acme.apps.localhost:8088");
  }

  @Test
  void aVmTheQuotaRefusesExits6AndTakesItsAppWithIt() {
    service.answer(
        "POST " + APPS, 201, "{\"tenant\":\"acme\",\"project\":\"web\",\"name\":\"box\"}");
    service.problem(
        "PUT " + VM, 409, "quota-exceeded", "memoryMib 768 would exceed the project's 512");
    service.answer("DELETE " + APPS + "/box", 204, "");

    Run.Result result = create();

    assertThat(result.code()).isEqualTo(6);
    assertThat(result.err()).contains("memoryMib 768 would exceed").doesNotContain("Exception");
    assertThat(service.last().method() + " " + service.last().rawPath())
        .isEqualTo("DELETE " + APPS + "/box");
  }

  @Test
  void aVmAppKeptWithItsDataDiskIsUsedAgainAndKeptWhenTheVmIsRefused() {
    service.problem("POST " + APPS, 409, "already-exists", "App 'acme/web/box' already exists");
    service.answer(
        "GET " + APPS + "/box",
        200,
        "{\"tenant\":\"acme\",\"project\":\"web\",\"name\":\"box\",\"source\":\"vm\"}");
    service.problem("PUT " + VM, 409, "data-disk-shrink", "kept a data disk of 256 MiB");

    Run.Result result = create("--data-disk", "128");

    assertThat(result.code()).isEqualTo(7);
    assertThat(result.err()).contains("kept a data disk of 256 MiB");
    assertThat(Json.object(Json.parse(service.last().body()))).containsEntry("dataDiskMib", 128L);
    assertThat(service.requests).noneMatch(r -> r.method().equals("DELETE"));

    // an app of another source keeps its name: the catalog's refusal stands
    service.answer(
        "GET " + APPS + "/box",
        200,
        "{\"tenant\":\"acme\",\"project\":\"web\",\"name\":\"box\",\"source\":\"hosted-git\"}");
    Run.Result taken = create();
    assertThat(taken.code()).isEqualTo(7);
    assertThat(taken.err()).contains("already exists");
  }

  @Test
  void deleteKeepingTheDataDiskKeepsTheApp() {
    service.answer("DELETE " + VM, 204, "");
    Run.Result kept = run("vm", "delete", "box", "--keep-data-disk");
    assertThat(kept.code()).as(kept.err()).isZero();
    assertThat(service.last().rawPath()).isEqualTo(VM + "?keepDataDisk=true");
    assertThat(kept.out()).contains("its app and data disk are kept");
    assertThat(service.requests).noneMatch(r -> r.rawPath().equals(APPS + "/box"));
  }

  @Test
  void userDataThatIsNoTextIsRefusedBeforeAnythingIsMade() throws Exception {
    Files.write(home.resolve("seed.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    int before = service.requests.size();

    Run.Result result = create("--user-data", home.resolve("seed.bin").toString());

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("is not UTF-8 text");
    assertThat(service.requests).hasSize(before);
  }

  @Test
  void infoShowsTheStateAndStopAndDeleteCallTheVmsPaths() {
    service.answer("GET " + VM, 200, VIEW);
    Run.Result info = run("vm", "info", "-a", "box", "-o", "json");
    assertThat(info.code()).as(info.err()).isZero();
    assertThat(Json.object(Json.parse(info.out())))
        .containsEntry("state", "RUNNING")
        .containsEntry("accelerator", "TCG");

    service.answer("POST " + VM + "/stop", 200, VIEW.replace("\"RUNNING\"", "\"STOPPED\""));
    Run.Result stop = run("vm", "stop", "-a", "box");
    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(stop.out()).contains("STOPPED");

    service.answer("DELETE " + VM, 204, "");
    service.answer("DELETE " + APPS + "/box", 204, "");
    Run.Result deleted = run("vm", "delete", "box");
    assertThat(deleted.code()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("Deleted VM acme/web/box");
    FakeService.Request vm = service.requests.get(service.requests.size() - 2);
    assertThat(vm.method() + " " + vm.rawPath()).isEqualTo("DELETE " + VM);

    service.problem("GET " + APPS + "/other/vm", 404, "not-found", "No app 'other'");
    Run.Result missing = run("vm", "info", "-a", "other");
    assertThat(missing.code()).isEqualTo(5);
    assertThat(missing.err()).contains("No app 'other'");
  }
}
